import { ApiObject, Duration, JsonPatch, Size } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import { Construct } from "constructs";
import type { Placement } from "../inventory/model.ts";
import { onPremAffinity } from "../rules/geo-fencing.ts";
import { quantity } from "../rules/resources.ts";
import { podLabels, selectorLabels } from "./labels.ts";

function cpu(value: string): kplus.Cpu {
  return kplus.Cpu.millis(Math.round(quantity(value) * 1000));
}

function memory(value: string): Size {
  return Size.mebibytes(Math.ceil(quantity(value) / 2 ** 20));
}

/**
 * One workload in one environment: its ServiceAccount, a Deployment (cdk8s-plus, with our own
 * selector and no construct-path labels) and a Service. Pod security is `restricted`-compliant.
 */
export class AppWorkload extends Construct {
  readonly deployment: kplus.Deployment;

  constructor(scope: Construct, placement: Placement) {
    super(scope, `${placement.namespace}-${placement.workload.name}`);
    const { workload, namespace } = placement;
    const labels = podLabels(placement);
    const metadata = { name: workload.name, namespace, labels };

    const serviceAccount = new kplus.ServiceAccount(this, "sa", {
      metadata,
      automountToken: false,
    });

    this.deployment = new kplus.Deployment(this, "deployment", {
      metadata,
      select: false,
      podMetadata: { labels },
      replicas: workload.replicas,
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
      containers: [
        {
          name: workload.name,
          image: placement.imageRef,
          portNumber: workload.port,
          resources: {
            cpu: { request: cpu(workload.resources.requests.cpu), limit: cpu(workload.resources.limits.cpu) },
            memory: {
              request: memory(workload.resources.requests.memory),
              limit: memory(workload.resources.limits.memory),
            },
          },
          securityContext: {
            ensureNonRoot: true,
            user: 10001,
            group: 10001,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          readiness: kplus.Probe.fromTcpSocket({ port: workload.port }),
          liveness: kplus.Probe.fromTcpSocket({
            port: workload.port,
            initialDelaySeconds: Duration.seconds(10),
          }),
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(placement) }));

    const deployment = ApiObject.of(this.deployment);
    // cdk8s-plus stamps a construct-path label on the pod template; it would change with any refactor.
    deployment.addJsonPatch(JsonPatch.remove("/spec/template/metadata/labels/cdk8s.io~1metadata.addr"));
    if (workload.dataLevel === "high" && placement.cluster.location === "on-prem") {
      deployment.addJsonPatch(JsonPatch.add("/spec/template/spec/affinity", onPremAffinity()));
    }

    const service = new kplus.Service(this, "service", {
      metadata,
      ports: [{ name: "http", port: workload.port, targetPort: workload.port }],
    });
    for (const [key, value] of Object.entries(selectorLabels(placement))) service.selectLabel(key, value);
  }
}
