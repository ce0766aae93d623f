package sophon.bridge.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskException;

/**
 * Turns request bytes into a model strictly: a string where a number belongs (or the reverse)
 * is an error that names the field, not a silent guess.
 */
public final class RequestParser {
    private final ObjectMapper strict;

    public RequestParser() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(numeric)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        this.strict = mapper;
    }

    public ObjectMapper mapper() {
        return strict;
    }

    public <T> T parse(byte[] body, Class<T> type) throws TaskException {
        if (body.length == 0
                || new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new TaskException(Failure.BAD_REQUEST, "The request body is empty.");
        }
        try {
            T value = strict.readValue(body, type);
            if (value == null) {
                throw new TaskException(Failure.BAD_REQUEST, "The request body must be a JSON object.");
            }
            return value;
        } catch (JsonParseException e) {
            // Only the position: the parser's own text may quote the input, credentials included.
            throw new TaskException(
                    Failure.BAD_REQUEST,
                    "The request body is not valid JSON (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ").");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new TaskException(
                    Failure.BAD_REQUEST,
                    field.isEmpty()
                            ? "The request body must be a JSON object."
                            : "Field " + field + " has the wrong type.");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new TaskException(
                    Failure.BAD_REQUEST,
                    field.isEmpty()
                            ? "The request body does not match the task format."
                            : "Field " + field + " has an invalid value.");
        } catch (JsonProcessingException e) {
            throw new TaskException(Failure.BAD_REQUEST, "The request body is not valid JSON.");
        } catch (IOException e) {
            throw new TaskException(Failure.BAD_REQUEST, "The request body could not be read.");
        }
    }

    /** {@code Algorithm[0].Type} style path of the failing field. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
