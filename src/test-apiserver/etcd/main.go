// Command etcd is the etcd server, built from go.etcd.io/etcd/server/v3 the
// same way as etcd's own root main.go (etcdmain.Main(os.Args)).
//
// It lives in its own Go module so that its dependencies are resolved exactly
// as etcd's release pins them, independently of the kube-apiserver module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
