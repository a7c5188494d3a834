// Command kube-controller-manager is a verbatim copy of the upstream entry point
// k8s.io/kubernetes/cmd/kube-controller-manager/controller-manager.go (main packages cannot be
// imported, so it is re-declared here). The controllers of the test
// cluster (src/test-cluster): service accounts, namespaces, endpoints, garbage collection.
// The Kubernetes version it reports is injected through -ldflags -X (versions.sh),
// the same way hack/lib/version.sh does.
package main

import (
	"os"
	_ "time/tzdata" // for CronJob Time Zone support

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // load all the prometheus client-go plugin
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	command := app.NewControllerManagerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
