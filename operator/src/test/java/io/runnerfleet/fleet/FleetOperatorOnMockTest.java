package io.runnerfleet.fleet;

import io.runnerfleet.testing.MockTestCluster;
import io.runnerfleet.testing.TestCluster;

/** {@link AbstractFleetOperatorTest}'s bodies on fabric8's mock API server in CRUD mode. */
class FleetOperatorOnMockTest extends AbstractFleetOperatorTest {
    @Override
    TestCluster startCluster() {
        return MockTestCluster.start();
    }
}
