// Command kube-proxy is a verbatim copy of the upstream entry point
// k8s.io/kubernetes/cmd/kube-proxy/proxy.go (main packages cannot be
// imported, so it is re-declared here). In nftables mode it makes the
// test cluster's `kubernetes` Service (10.96.0.1:443) reach the API server (src/test-cluster).
// The Kubernetes version it reports is injected through -ldflags -X (versions.sh),
// the same way hack/lib/version.sh does.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // for client metric registration
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-proxy/app"
)

func main() {
	command := app.NewProxyCommand()
	code := cli.Run(command)
	os.Exit(code)
}
