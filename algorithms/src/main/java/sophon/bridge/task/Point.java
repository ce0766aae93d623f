package sophon.bridge.task;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record Point(
        @JsonProperty("X") double x, @JsonProperty("Y") double y) {
    public boolean isOrigin() {
        return x == 0 && y == 0;
    }
}
