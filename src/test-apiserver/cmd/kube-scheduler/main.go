// Command kube-scheduler is a verbatim copy of the upstream entry point
// k8s.io/kubernetes/cmd/kube-scheduler/scheduler.go (main packages cannot be
// imported, so it is re-declared here). The scheduler of the test cluster
// (src/test-cluster).
// The Kubernetes version it reports is injected through -ldflags -X (versions.sh),
// the same way hack/lib/version.sh does.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register" // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version" // for version metric registration
	"k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() {
	command := app.NewSchedulerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
