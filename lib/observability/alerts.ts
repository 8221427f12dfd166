/** One alert, as code: what it watches, how long before it fires, and what the on-call does. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: "critical" | "warning";
  readonly summary: string;
  /** The first thing to do: the runbook line. */
  readonly runbook: string;
}

const DAY = 24 * 3600;

/**
 * The alerts the metrics store evaluates, each on metrics a scraped exporter exposes (validate
 * checks the rendered rules against the exporters' sources, lib/validate/alert-rules.ts). Every
 * series carries `k8s_cluster_name`, so each alert says which cluster.
 */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: "PostgresWalArchivingFailing",
    expr: "increase(cnpg_pg_stat_archiver_failed_count[10m]) > 0",
    for: "10m",
    severity: "critical",
    summary: "WAL archiving of {{ $labels.namespace }}/{{ $labels.pod }} fails",
    runbook:
      "Check the Barman Cloud plugin sidecar's log and the backup store (endpoint backup-store): until archiving works the WAL stays on the volume, which fills and stops the primary.",
  },
  {
    alert: "PostgresWalPilingUp",
    expr: 'cnpg_collector_pg_wal_archive_status{value="ready"} > 20',
    for: "15m",
    severity: "critical",
    summary: "{{ $value }} WAL segments of {{ $labels.namespace }}/{{ $labels.pod }} wait to be archived",
    runbook:
      "Archiving does not keep up: look at PostgresWalArchivingFailing, the backup store's reachability and the volume's free space (kubectl -n <ns> exec <pod> -- df -h /var/lib/postgresql/wal).",
  },
  {
    alert: "PostgresDown",
    expr: "cnpg_collector_up == 0",
    for: "5m",
    severity: "critical",
    summary: "PostgreSQL in {{ $labels.namespace }}/{{ $labels.pod }} does not answer its instance manager",
    runbook:
      "kubectl cnpg status <cluster> -n <ns>; the operator fails over a primary on its own, a replica needs a look.",
  },
  {
    alert: "PostgresBackupTooOld",
    expr: `(time() - cnpg_collector_last_available_backup_timestamp > ${1.5 * DAY}) and cnpg_collector_last_available_backup_timestamp > 0`,
    for: "1h",
    severity: "warning",
    summary: "The last backup of {{ $labels.namespace }}/{{ $labels.pod }} is older than its daily schedule",
    runbook:
      "kubectl -n <ns> get backups,scheduledbackups: a failed Backup names its cause; run one by hand once it is fixed.",
  },
  {
    alert: "CertificateExpiresSoon",
    expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${7 * DAY}`,
    for: "1h",
    severity: "critical",
    summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 7 days",
    runbook:
      "cert-manager renews 15 days ahead, so renewal has failed: kubectl -n <ns> describe certificate <name>, then the CertificateRequest and the ClusterIssuer's key pair Secret.",
  },
  {
    alert: "CertificateNotReady",
    expr: 'certmanager_certificate_ready_status{condition="False"} == 1',
    for: "30m",
    severity: "warning",
    summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready",
    runbook: "kubectl -n <ns> describe certificate <name>: the condition's message says why.",
  },
  {
    alert: "AdmissionDenied",
    expr: 'sum by (k8s_cluster_name, resource_kind, resource_namespace) (increase(kyverno_admission_requests_total{request_allowed="false"}[15m])) > 0',
    for: "0m",
    severity: "warning",
    summary: "Kyverno refused {{ $labels.resource_kind }} requests in {{ $labels.resource_namespace }}",
    runbook:
      "A policy refuses what someone or something tries to create: kubectl get events -n <ns>, or the Kyverno admission controller's log, names the policy; npm run validate on the same commit should have said so.",
  },
  {
    alert: "PolicyEvaluationErrors",
    expr: 'sum by (k8s_cluster_name, policy_name) (increase(kyverno_validating_policy_results_total{result="error"}[15m])) > 0',
    for: "0m",
    severity: "critical",
    summary: "Kyverno policy {{ $labels.policy_name }} fails to evaluate on {{ $labels.k8s_cluster_name }}",
    runbook:
      "An expression errors at admission (a field it did not expect): the Kyverno admission controller's log names the resource; npm run validate proves the rendered estate, so look for objects made outside Git.",
  },
  {
    alert: "FluxNotReady",
    expr: 'gotk_resource_info{ready="False", suspended!="true"} == 1',
    for: "15m",
    severity: "critical",
    summary:
      "Flux {{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} on {{ $labels.k8s_cluster_name }} is not Ready",
    runbook:
      "flux get all -A on that cluster, then the object's events; what Git holds is not what runs until it is Ready (the commit status on Gitea says the same).",
  },
  {
    alert: "GpuNodeWithoutGpus",
    expr: 'kube_node_status_capacity{resource="nvidia_com_gpu"} > 0 and kube_node_status_allocatable{resource="nvidia_com_gpu"} == 0',
    for: "15m",
    severity: "critical",
    summary: "GPU node {{ $labels.node }} on {{ $labels.k8s_cluster_name }} offers no allocatable GPU",
    runbook:
      "The device plugin or driver is down: kubectl -n gpu-operator get pods -o wide for that node, then the driver and validator logs; the models on it cannot start.",
  },
  {
    alert: "BucketMirrorStopped",
    expr: 'time() - kube_cronjob_status_last_successful_time{cronjob=~"mirror-.*"} > 3600',
    for: "15m",
    severity: "warning",
    summary: "Bucket mirror {{ $labels.namespace }}/{{ $labels.cronjob }} has not succeeded for an hour",
    runbook:
      "It runs every 15 minutes: kubectl -n object-store get jobs, then the last job's log (the cloud endpoint, its credentials, the tunnel).",
  },
  {
    alert: "ScrapeTargetDown",
    expr: "up == 0",
    for: "10m",
    severity: "warning",
    summary: "The agent on {{ $labels.k8s_cluster_name }} cannot scrape {{ $labels.job }} {{ $labels.pod }}",
    runbook:
      "The component is down or its metrics port moved: kubectl -n <ns> get pod <pod>; npm run validate checks the port.",
  },
];

/** The rules as Prometheus reads them (`alerting_rules.yml`). */
export function alertingRules(): Record<string, unknown> {
  return {
    groups: [
      {
        name: "estate",
        rules: ALERT_RULES.map((r) => ({
          alert: r.alert,
          expr: r.expr,
          for: r.for,
          labels: { severity: r.severity },
          annotations: { summary: r.summary, runbook: r.runbook },
        })),
      },
    ],
  };
}
