package io.meshlive.cluster.store;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

class MemoryControlStoreTest extends ControlStoreContract {
    private final MemoryControlStore store = new MemoryControlStore();
    private final List<ControlStore> clients = new ArrayList<>();

    @Override
    ControlStore client(String nodeId) {
        MemoryControlStore c = store.client();
        c.open(nodeId);
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(ControlStore::close);
        store.close();
    }
}
