package sophon.bridge.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Every answer of the task API: {@code Code} 0 and {@code Msg} "success", or a non-zero code and why. */
@JsonPropertyOrder({"Code", "Msg", "Result"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiAnswer(
        @JsonProperty("Code") int code,
        @JsonProperty("Msg") String msg,
        @JsonProperty("Result") Object result) {
    public static ApiAnswer success() {
        return new ApiAnswer(0, "success", null);
    }

    public static ApiAnswer success(Object result) {
        return new ApiAnswer(0, "success", result);
    }

    public static ApiAnswer failure(int code, String msg) {
        return new ApiAnswer(code, msg, null);
    }
}
