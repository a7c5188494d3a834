package io.runnerfleet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.manager.JobStage;
import io.runnerfleet.manager.ManagerMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    private final ManagerMetrics metrics =
            new ManagerMetrics(new ManagerMetrics.RunnerIdentity("t1abcdefg", "build-fleet", "s_0123456789ab"), 10, 0);

    @Test
    void textFormatCarriesGitlabRunnersNamesAndLabels() {
        metrics.showJobs(Map.of(JobStage.RUNNING_SCRIPT, 3));
        metrics.jobFinished(42, "script_failure");
        metrics.apiRequest("request_job", 204, "POST");
        metrics.jobPickedUp(0.3);

        String text = Exposition.render(metrics.registry(), Exposition.TEXT_0_0_4);

        assertThat(text)
                .contains(
                        "# TYPE gitlab_runner_concurrent gauge\ngitlab_runner_concurrent 10\n",
                        "gitlab_runner_jobs{runner=\"t1abcdefg\",runner_name=\"build-fleet\",system_id=\"s_0123456789ab\","
                                + "state=\"running\",stage=\"step_script\",executor_stage=\"kubernetes_pod_running\"} 3\n",
                        "gitlab_runner_jobs{runner=\"t1abcdefg\",runner_name=\"build-fleet\",system_id=\"s_0123456789ab\","
                                + "state=\"\",stage=\"\",executor_stage=\"\"} 0\n",
                        "# TYPE gitlab_runner_jobs_total counter\n",
                        "gitlab_runner_jobs_total{runner=\"t1abcdefg\",runner_name=\"build-fleet\",system_id=\"s_0123456789ab\"} 1\n",
                        "gitlab_runner_failed_jobs_total{runner=\"t1abcdefg\",runner_name=\"build-fleet\","
                                + "failure_reason=\"script_failure\",mode=\"traditional\"} 1\n",
                        "gitlab_runner_api_request_statuses_total{runner=\"t1abcdefg\",system_id=\"s_0123456789ab\","
                                + "endpoint=\"request_job\",status=\"204\",method=\"POST\"} 1\n",
                        "gitlab_runner_job_duration_seconds_bucket{runner=\"t1abcdefg\",runner_name=\"build-fleet\","
                                + "system_id=\"s_0123456789ab\",mode=\"traditional\",le=\"60\"} 1\n",
                        "runner_fleet_job_pickup_seconds_bucket{runner_name=\"build-fleet\",le=\"+Inf\"} 1\n",
                        "runner_fleet_job_pickup_seconds_count{runner_name=\"build-fleet\"} 1\n");
        assertThat(text).doesNotContain("# EOF");
    }

    @Test
    void everyManagerMetricIsExported() {
        String text = Exposition.render(metrics.registry(), Exposition.TEXT_0_0_4);
        for (String name : MetricNames.MANAGER) {
            assertThat(text).as(name).contains("# TYPE " + name + " ");
        }
    }

    @Test
    void openMetricsKeepsTheJobsCounterApartFromTheJobsGauge() {
        String text = Exposition.render(metrics.registry(), Exposition.OPENMETRICS);
        assertThat(text).endsWith("# EOF\n");
        assertThat(text).contains("# TYPE gitlab_runner_jobs gauge\n");
        assertThat(text).contains("# TYPE gitlab_runner_jobs_total unknown\n");
        assertThat(text).contains("# TYPE gitlab_runner_failed_jobs counter\n");
        assertThat(text).contains("# TYPE runner_fleet_jobs_adopted counter\n");
    }

    @Test
    void acceptHeaderPicksTheFormat() {
        assertThat(Exposition.contentTypeFor("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .isEqualTo(Exposition.OPENMETRICS);
        assertThat(Exposition.contentTypeFor("text/plain")).isEqualTo(Exposition.TEXT_0_0_4);
        assertThat(Exposition.contentTypeFor(null)).isEqualTo(Exposition.TEXT_0_0_4);
    }
}
