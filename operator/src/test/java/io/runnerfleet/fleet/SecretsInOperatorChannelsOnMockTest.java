package io.runnerfleet.fleet;

import io.runnerfleet.testing.MockTestCluster;
import io.runnerfleet.testing.TestCluster;

/** {@link AbstractSecretsInOperatorChannelsTest} on fabric8's mock API server in CRUD mode. */
class SecretsInOperatorChannelsOnMockTest extends AbstractSecretsInOperatorChannelsTest {
    @Override
    TestCluster startCluster() {
        return MockTestCluster.start();
    }
}
