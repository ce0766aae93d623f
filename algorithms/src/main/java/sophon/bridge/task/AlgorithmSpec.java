package sophon.bridge.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One entry of the task's {@code Algorithm} list: one analysis on the task's source. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlgorithmSpec(
        @JsonProperty("Type") Integer type,
        @JsonProperty("TrackInterval") Integer trackInterval,
        @JsonProperty("DetectInterval") Integer detectInterval,
        @JsonProperty("AlarmInterval") Integer alarmInterval,
        @JsonProperty("threshold") Double threshold,
        @JsonProperty("TargetSize") TargetSize targetSize,
        @JsonProperty("DetectInfos") List<DetectInfo> detectInfos,
        @JsonProperty("Extend") JsonNode extend) {

    /** application-web's defaults where a field is absent. */
    public static final int DEFAULT_TRACK_INTERVAL = 20;

    public static final int DEFAULT_DETECT_INTERVAL = 3;
    public static final int DEFAULT_ALARM_INTERVAL = 300;
    public static final double DEFAULT_THRESHOLD = 0.5;

    @JsonIgnore
    public int trackIntervalOrDefault() {
        return trackInterval == null || trackInterval < 1 ? DEFAULT_TRACK_INTERVAL : trackInterval;
    }

    @JsonIgnore
    public int detectIntervalOrDefault() {
        return detectInterval == null || detectInterval < 1 ? DEFAULT_DETECT_INTERVAL : detectInterval;
    }

    @JsonIgnore
    public int alarmIntervalOrDefault() {
        return alarmInterval == null || alarmInterval < 0 ? DEFAULT_ALARM_INTERVAL : alarmInterval;
    }

    /**
     * The confidence threshold as a fraction: application-web sends both 50 (percent) and 0.5
     * (fraction); above 1 it is percent.
     */
    @JsonIgnore
    public double thresholdFraction() {
        if (threshold == null || threshold <= 0) {
            return DEFAULT_THRESHOLD;
        }
        return threshold > 1 ? Math.min(threshold / 100.0, 1.0) : threshold;
    }

    @JsonIgnore
    public List<DetectInfo> detectInfosOrEmpty() {
        return detectInfos == null ? List.of() : detectInfos;
    }
}
