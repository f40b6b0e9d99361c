// The built-in configuration used when no toban.yml exists (src/config/load.ts reads it from here,
// a file with no imports, so config does not depend on the rest of the demo), and the people of the
// demo: every command answers something real.
export const DEMO_CONFIG_YAML = `
timezone: Asia/Tokyo
locale: ja
channels: { alerts: C0ALERTS, investigations: C0INVEST, incidents: C0INCIDENT, finance: C0FINANCE }
rotations:
  - id: primary
    name: Primary on-call
    members: [U0AAA, U0BBB, U0CCC]
    shift: weekly
    handoff: "Mon 10:00"
    start: "2024-01-01"
    usergroup: S0ONCALL
  - id: cs-duty
    name: 調査当番
    members: [U0DDD, U0EEE]
    shift: daily
    handoff: "10:00"
    start: "2024-01-01"
    business_days_only: true
investigations:
  rotation: cs-duty
escalation_policies:
  - id: default
    steps:
      - { notify: "rotation:primary", wait: 5m }
      - { notify: "user:U0LEAD", wait: 10m }
      - { notify: "channel" }
routes:
  - { match: { service: billing }, channel: C0FINANCE, policy: default }
  - { match: {}, channel: C0ALERTS, policy: default }
permissions:
  finance: [U0FIN1, S0FINANCE]
  admins: [U0AAA]
heartbeats:
  - { name: nightly-batch, every: 24h, grace: 30m, severity: critical, labels: { service: ledger } }
`;

/** Who console mode types as when no --as is given: the first finance member. */
export const DEMO_USERS: Record<string, { name: string; locale: 'ja' | 'en' }> = {
  U0FIN1: { name: '経理 花子', locale: 'ja' },
  U0AAA: { name: 'Aiko', locale: 'ja' },
  U0BBB: { name: 'Ben', locale: 'en' },
  U0CCC: { name: 'Chika', locale: 'ja' },
  U0DDD: { name: 'Daiki', locale: 'ja' },
  U0EEE: { name: 'Emi', locale: 'ja' },
  U0LEAD: { name: 'Lead', locale: 'en' },
};
