// Command kubelet is a verbatim copy of the upstream entry point
// k8s.io/kubernetes/cmd/kubelet/kubelet.go (main packages cannot be
// imported, so it is re-declared here). It runs the test cluster's node
// (src/test-cluster).
// The Kubernetes version it reports is injected through -ldflags -X (versions.sh),
// the same way hack/lib/version.sh does.
package main

import (
	"context"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // for client metric registration
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kubelet/app"
)

func main() {
	command := app.NewKubeletCommand(context.Background())
	code := cli.Run(command)
	os.Exit(code)
}
