package sophon.bridge.cpustream.config;

public enum SourceType {
    RTSP,
    RTMP,
    GB28181,
    VIDEO,
    IMG_DIR,
    BASE64,
    CAMERA,
    HTTP;

    /** Network sources are reconnected when lost; files and folders are not. */
    public boolean network() {
        return this == RTSP || this == RTMP || this == HTTP || this == GB28181;
    }
}
