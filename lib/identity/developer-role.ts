/**
 * What developers may do in a dev namespace of a non-prod cluster: look at everything of their
 * applications, read logs, exec and port-forward into pods, restart pods, scale and run jobs; never
 * change who may talk to whom (NetworkPolicies), who may do what (RBAC), or act as anyone else. The
 * built-in `edit` role grants all three (NetworkPolicies, service account impersonation, Secrets).
 */
export const DEVELOPER_ROLE = "waterschap-developer";

const READ = ["get", "list", "watch"];

export const DEVELOPER_RULES = [
  {
    apiGroups: [""],
    resources: [
      "pods",
      "pods/log",
      "services",
      "endpoints",
      "configmaps",
      "persistentvolumeclaims",
      "events",
      "serviceaccounts",
    ],
    verbs: READ,
  },
  { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
  { apiGroups: [""], resources: ["pods/exec", "pods/portforward"], verbs: ["create"] },
  {
    apiGroups: ["apps"],
    resources: ["deployments", "statefulsets", "replicasets", "daemonsets"],
    verbs: READ,
  },
  {
    apiGroups: ["apps"],
    resources: ["deployments/scale", "statefulsets/scale"],
    verbs: ["get", "update", "patch"],
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete"] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: READ },
  { apiGroups: ["postgresql.cnpg.io"], resources: ["clusters", "backups", "scheduledbackups"], verbs: READ },
] as const;
