package sophon.bridge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** application-web's side of the task API, for tests: POST JSON, read {@code Code}/{@code Msg}/{@code Result}. */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Answer(int status, String contentType, JsonNode body) {
        public int code() {
            return body.path("Code").asInt(-999);
        }

        public String msg() {
            return body.path("Msg").asText();
        }

        public JsonNode result() {
            return body.path("Result");
        }
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return post(path, HttpRequest.BodyPublishers.ofString(body));
    }

    public Answer post(String path, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(body)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    public Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(15))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    /** A GET whose answer is not JSON (/metrics): status, Content-Type and the text. */
    public record TextAnswer(int status, String contentType, String body) {}

    public TextAnswer getText(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(15))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new TextAnswer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    public Answer query(String taskId) throws IOException, InterruptedException {
        return post("/task/query", "{\"TaskID\":" + JSON.valueToTree(taskId) + "}");
    }

    public Answer delete(String taskId) throws IOException, InterruptedException {
        return post("/task/delete", "{\"TaskID\":" + JSON.valueToTree(taskId) + "}");
    }

    public Answer list() throws IOException, InterruptedException {
        return post("/task/list", "{}");
    }

    /** A create body as application-web sends it, with its defaults. */
    public static String task(String taskId, String address, int type, String reportUrl) {
        return """
                {"TaskID": %s,
                 "InputSrc": {"SrcID": "camera-entrance", "StreamSrc": {"Address": %s}},
                 "Algorithm": [{"Type": %d, "TrackInterval": 20, "DetectInterval": 3, "AlarmInterval": 300, "threshold": 50,
                   "TargetSize": {"MinDetect": 30, "MaxDetect": 250},
                   "DetectInfos": [{"TripWire": {"LineStart":{"X":0,"Y":0},"LineEnd":{"X":0,"Y":0},
                                                 "DirectStart":{"X":0,"Y":0},"DirectEnd":{"X":0,"Y":0}},
                                    "HotArea": [{"X":0,"Y":0},{"X":1920,"Y":0},{"X":1920,"Y":1080},{"X":0,"Y":1080}]}]}],
                 "Reporting": {"ReportUrlList": [%s]}}
                """.formatted(JSON.valueToTree(taskId), JSON.valueToTree(address), type, JSON.valueToTree(reportUrl));
    }
}
