package sophon.bridge.task;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code /task/create}, exactly as application-web sends it
 * ({@code ../shared/spec/application-web.md}). Key spelling is the contract's; unknown keys are
 * kept out rather than rejected because application-web builds differ.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRequest(
        @JsonProperty("TaskID") String taskId,
        @JsonProperty("InputSrc") InputSrc inputSrc,
        @JsonProperty("Algorithm") List<AlgorithmSpec> algorithms,
        @JsonProperty("Reporting") Reporting reporting) {

    /** The source address, or null when the request lacks one. */
    public String address() {
        return inputSrc == null || inputSrc.streamSrc() == null
                ? null
                : inputSrc.streamSrc().address();
    }

    /** The device name copied into every alarm; empty when absent. */
    public String srcId() {
        return inputSrc == null || inputSrc.srcId() == null ? "" : inputSrc.srcId();
    }

    public List<String> reportUrls() {
        return reporting == null || reporting.reportUrlList() == null ? List.of() : reporting.reportUrlList();
    }
}
