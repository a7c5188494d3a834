// Command kube-apiserver is a verbatim copy of the upstream entry point
// k8s.io/kubernetes/cmd/kube-apiserver/apiserver.go (main packages cannot be
// imported, so it is re-declared here). The Kubernetes version it reports is
// injected by build.sh through -ldflags -X, the same way hack/lib/version.sh does.
package main

import (
	"os"
	_ "time/tzdata" // for timeZone support in CronJob

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // for JSON log format registration
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // load all the prometheus client-go plugins
	_ "k8s.io/component-base/metrics/prometheus/version"  // for version metric registration
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
