package io.runnerfleet.manager;

/**
 * Where a running job is, in gitlab-runner's terms: the build stage ({@code stage} label) and what the executor is
 * doing ({@code executor_stage} label). A small fixed set, so the jobs gauge stays low-cardinality.
 */
public enum JobStage {
    WAITING_FOR_POD("prepare_executor", "kubernetes_pod_pending"),
    GETTING_SOURCES("get_sources", "kubernetes_pod_running"),
    RUNNING_SCRIPT("step_script", "kubernetes_pod_running"),
    UPLOADING("upload_artifacts", "kubernetes_pod_running"),
    FINISHING("finish", "kubernetes_cleanup");

    private final String gitlabStage;
    private final String executorStage;

    JobStage(String gitlabStage, String executorStage) {
        this.gitlabStage = gitlabStage;
        this.executorStage = executorStage;
    }

    public String gitlabStage() {
        return gitlabStage;
    }

    public String executorStage() {
        return executorStage;
    }
}
