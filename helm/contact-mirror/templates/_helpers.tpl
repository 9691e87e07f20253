{{- define "contact-mirror.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "contact-mirror.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "contact-mirror.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "contact-mirror.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "contact-mirror.selectorLabels" -}}
app.kubernetes.io/name: {{ include "contact-mirror.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "contact-mirror.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "contact-mirror.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret with credentials: the operator's own, or the one this chart renders. */}}
{{- define "contact-mirror.secretName" -}}
{{- default (include "contact-mirror.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* Contact Mirror runs only against an external PostgreSQL in Kubernetes. */}}
{{- define "contact-mirror.requireDatabase" -}}
{{- if and (not .Values.existingSecret) (not .Values.database.url) -}}
{{- fail "An external PostgreSQL is required: set database.url (and database.username/password) or existingSecret. See the chart README (CloudNativePG or a managed PostgreSQL)." -}}
{{- end -}}
{{- end -}}
