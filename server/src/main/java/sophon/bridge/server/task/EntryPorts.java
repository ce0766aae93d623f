package sophon.bridge.server.task;

import sophon.bridge.server.process.PortAllocator;

/**
 * The two port ranges an entry's children bind: business logic's HTTP port (the stream's http_push
 * target) and the stream's http_listen port.
 */
public record EntryPorts(PortAllocator businessLogic, PortAllocator stream) {}
