{{/* Chart name, overridable. */}}
{{- define "runner-fleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name. */}}
{{- define "runner-fleet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "runner-fleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "runner-fleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "runner-fleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "runner-fleet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: runner-fleet
{{- end }}

{{- define "runner-fleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "runner-fleet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "runner-fleet.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "runner-fleet.managerImage" -}}
{{- if .Values.managerImage.repository }}
{{- printf "%s:%s" .Values.managerImage.repository (default (default .Chart.AppVersion .Values.image.tag) .Values.managerImage.tag) }}
{{- else }}
{{- include "runner-fleet.image" . }}
{{- end }}
{{- end }}

{{/* What the operator may do in a namespace it watches; the Role and the ClusterRole share these rules.
     Exactly what the code uses (ChartRbacTest derives it from the reconciler): informers list and watch, dependents
     create, update and delete (no server-side apply, so no patch), JOSDK patches its finalizer onto the fleet.
     The operator also holds every permission it grants managers (pods, pods/log, pods/exec, resourcequotas, secrets, events, leases), since
     Kubernetes forbids granting what one lacks. */}}
{{- define "runner-fleet.rules" -}}
- apiGroups: [runnerfleet.io]
  resources: [runnerfleets]
  verbs: [get, list, watch, patch]
- apiGroups: [runnerfleet.io]
  resources: [runnerfleets/status]
  verbs: [update]
# ownerReferences with blockOwnerDeletion pointing at a fleet
- apiGroups: [runnerfleet.io]
  resources: [runnerfleets/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, serviceaccounts, services]
  verbs: [list, watch, create, update, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, update, delete]
# spec.warmCapacity: the pause pods' ReplicaSet
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [list, watch, create, update, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, update, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [list, watch, create, update, delete]
- apiGroups: [""]
  resources: [pods]
  # patch: granted to managers on their own pods' pod-deletion-cost (manager.DeletionCost)
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# update: granted to managers on the fleet's token Secret alone when spec.gitlab.tokenRotation is set
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [create, get]
# granted to managers unless spec.executor.capacityAware is none (they ask for a job only when a Job Pod fits)
- apiGroups: [""]
  resources: [resourcequotas]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [list, create]
# watch: the managers report GitLab's side of their health on their Leases (fleet conditions GitLabReachable, ...)
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, list, watch, create, update, delete]
{{- end }}

{{/* One NetworkPolicy egress rule: the destination's CIDRs on its TCP ports. */}}
{{- define "runner-fleet.egress" -}}
- to:
  {{- range .destination.cidrs }}
    - ipBlock:
        cidr: {{ . }}
  {{- end }}
  ports:
  {{- range .destination.ports }}
    - port: {{ . }}
      protocol: TCP
  {{- end }}
{{- end }}

{{/* Cluster DNS on UDP and TCP 53, to networkPolicy.dns.peers (any address when empty). */}}
{{- define "runner-fleet.dnsEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  {{- with .dns.peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* spec.executor.capacityAware: nodes. The operator creates, per such fleet, a ClusterRole (read by name, updated,
     deleted when the mode changes or the fleet goes: cluster-scoped, so no ownerReference) letting that fleet's managers
     read nodes and pods cluster-wide, and its binding; Kubernetes lets it grant only what it holds, hence nodes here
     (pods list/watch it holds cluster-wide already). */}}
{{- define "runner-fleet.nodeReaderRules" -}}
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs: [get, create, update, delete]
# a binding whose roleRef changed is replaced (the API server refuses to change roleRef), never updated
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterrolebindings]
  verbs: [get, create, delete]
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
{{- end }}
