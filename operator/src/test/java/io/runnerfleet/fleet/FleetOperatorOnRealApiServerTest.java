package io.runnerfleet.fleet;

import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AbstractFleetOperatorTest}'s bodies on the real kube-apiserver shared by the run: its defaulting,
 * validation, ownerReference and resourceVersion checks and status subresource judge what the operator writes.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class FleetOperatorOnRealApiServerTest extends AbstractFleetOperatorTest {
    private final RealApiServer server;

    FleetOperatorOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @Override
    TestCluster startCluster() {
        return RealApiTestCluster.on(server);
    }
}
