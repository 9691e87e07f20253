// Validates Kubernetes manifests (a JSON array of objects, as rendered by the chart tests) against the
// Kubernetes schemas of the kubernetes-models packages, which check required fields and types.
// Usage: node validate-manifests.mjs <manifests.json>; exits 1 listing every invalid manifest.
import { readFileSync } from "node:fs";

const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const manifests = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
for (const manifest of manifests) {
  const name = `${manifest?.apiVersion} ${manifest?.kind} ${manifest?.metadata?.name}`;
  const module = modules[manifest?.apiVersion];
  if (!module) {
    failures.push(`${name}: no schema known for apiVersion ${manifest?.apiVersion}`);
    continue;
  }
  const models = await import(module);
  const Model = models[manifest.kind];
  if (!Model) {
    failures.push(`${name}: unknown kind ${manifest.kind}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
  }
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${manifests.length} manifests valid`);
