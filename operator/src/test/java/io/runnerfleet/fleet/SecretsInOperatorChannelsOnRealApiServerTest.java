package io.runnerfleet.fleet;

import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link AbstractSecretsInOperatorChannelsTest} on the real kube-apiserver shared by the run: its Events, status
 * subresource and defaulting are what the operator writes through.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class SecretsInOperatorChannelsOnRealApiServerTest extends AbstractSecretsInOperatorChannelsTest {
    private final RealApiServer server;

    SecretsInOperatorChannelsOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @Override
    TestCluster startCluster() {
        return RealApiTestCluster.on(server);
    }
}
