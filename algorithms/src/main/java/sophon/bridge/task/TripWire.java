package sophon.bridge.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TripWire(
        @JsonProperty("LineStart") Point lineStart,
        @JsonProperty("LineEnd") Point lineEnd,
        @JsonProperty("DirectStart") Point directStart,
        @JsonProperty("DirectEnd") Point directEnd) {

    /** All-zero coordinates mean "no line" (application-web's default). */
    @JsonIgnore
    public boolean hasLine() {
        return !isZero(lineStart) || !isZero(lineEnd);
    }

    @JsonIgnore
    public boolean hasDirection() {
        return !isZero(directStart) || !isZero(directEnd);
    }

    private static boolean isZero(Point p) {
        return p == null || p.isOrigin();
    }
}
