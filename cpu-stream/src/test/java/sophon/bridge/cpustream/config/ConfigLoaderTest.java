package sophon.bridge.cpustream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String DECODE = "{\"configure\":{},\"name\":\"decode\"}";
    private static final String PUSH =
            "{\"configure\":{\"ip\":\"127.0.0.1\",\"port\":1,\"path\":\"/p\"},\"name\":\"http_push\"}";

    private static void write(Path dir, String demo, String engine) throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/decode.json"), DECODE);
        Files.writeString(dir.resolve("config/push.json"), PUSH);
        Files.writeString(dir.resolve("config/demo.json"), demo);
        Files.writeString(dir.resolve("config/engine.json"), engine);
    }

    private static String engine(String connections) {
        return "[{\"graph_id\":0,\"elements\":[{\"element_id\":1,\"element_config\":\"config/decode.json\",\"ports\":{\"input\":[{\"port_id\":0,\"is_src\":true}]}},"
                + "{\"element_id\":2,\"element_config\":\"config/push.json\"}],\"connections\":" + connections + "}]";
    }

    private static final String CONN = "[{\"src_element_id\":1,\"src_port\":0,\"dst_element_id\":2,\"dst_port\":0}]";

    @Test
    void readsChannelsWithDefaultsAndRelativePaths(@TempDir Path dir) throws Exception {
        write(
                dir,
                "{\"channels\":[{\"channel_id\":4,\"url\":\"a.mp4\",\"source_type\":\"video\"}],\"engine_config_path\":\"config/engine.json\","
                        + "\"http_report\":{\"ip\":\"127.0.0.1\",\"port\":10001,\"path\":\"/errors\"}}",
                engine(CONN));
        DemoConfig c = new ConfigLoader(dir).load("config/demo.json");
        ChannelSpec ch = c.channels().get(0);
        assertEquals(4, ch.channelId());
        assertEquals(SourceType.VIDEO, ch.sourceType());
        assertEquals(1, ch.sampleInterval());
        assertEquals(1, ch.loopNum());
        assertEquals(ChannelSpec.SampleStrategy.DROP, ch.sampleStrategy());
        assertEquals("http://127.0.0.1:10001/errors", c.httpReport().url());
        assertEquals(1, c.graphs().get(0).sourceId());
    }

    @Test
    void refusesWhatMainWouldRefuse(@TempDir Path dir) throws Exception {
        String ok = "\"engine_config_path\":\"config/engine.json\"";
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"url\":\"a\",\"source_type\":\"FTP\"}]," + ok + "}",
                engine(CONN),
                "unknown source_type \"FTP\"");
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"url\":\"a\",\"source_type\":\"VIDEO\",\"sample_interval\":0}]," + ok
                        + "}",
                engine(CONN),
                "sample_interval must be at least 1");
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"url\":\"a\",\"source_type\":\"VIDEO\",\"graph_id\":3}]," + ok + "}",
                engine(CONN),
                "graph_id 3");
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"source_type\":\"VIDEO\"}]," + ok + "}",
                engine(CONN),
                "\"url\" is missing");
        assertMessage(dir, "{\"channels\":[]," + ok + "}", engine(CONN), "no channels and no http_listen");
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"url\":\"a\",\"source_type\":\"VIDEO\"}]," + ok + "}",
                engine("[{\"src_element_id\":1,\"dst_element_id\":2},{\"src_element_id\":2,\"dst_element_id\":1}]"),
                "cycle");
        assertMessage(
                dir,
                "{\"channels\":[{\"channel_id\":0,\"url\":\"a\",\"source_type\":\"VIDEO\"}],\"engine_config_path\":\"config/none.json\"}",
                engine(CONN),
                "does not exist");
    }

    private static void assertMessage(Path dir, String demo, String engine, String expected) throws Exception {
        write(dir, demo, engine);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(dir).load("config/demo.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
