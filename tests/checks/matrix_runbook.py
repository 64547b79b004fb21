"""A runbook exercising every check kind over SSH and over SNMP on five platforms, for the lab."""

from __future__ import annotations

import textwrap

SNMP3 = "{version: 3, user: golive-ro, auth: sha256, priv: aes, credentials: env:GOLIVE_TEST_SNMP}"
SNMP2 = "{version: 2c, community: env:GOLIVE_TEST_COMMUNITY}"

MATRIX = textwrap.dedent(
    f"""\
    runbook:
      id: matrix
      title: Every kind on every platform
      version: 1
      window: {{start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
    roles: {{net: Network engineer}}
    inventory:
      ios: {{host: 192.0.2.11, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH, snmp: {SNMP3}}}
      nxos: {{host: 192.0.2.12, platform: cisco_nxos, credentials: env:GOLIVE_TEST_SSH, snmp: {SNMP3}}}
      comware: {{host: 192.0.2.13, platform: hp_comware, credentials: env:GOLIVE_TEST_SSH, snmp: {SNMP2}}}
      eos: {{host: 192.0.2.14, platform: arista_eos, credentials: env:GOLIVE_TEST_SSH, snmp: {SNMP3}}}
      cx: {{host: 192.0.2.15, platform: aruba_aoscx, credentials: env:GOLIVE_TEST_SSH, snmp: {SNMP3}}}
    phases:
      - id: ssh
        title: Over SSH
        tasks:
          - id: ios-ssh
            title: IOS over SSH
            duration: 5m
            checks:
              - {{kind: port, via: ssh, device: ios, ports: Gi1/0/1-4, expect: {{status: up, speed: 1G, vlan: 120, duplex: full}}}}
              - {{kind: vlan, via: ssh, device: ios, port: Gi1/0/2, expect: {{mode: access, access: 120, voice: 130}}}}
              - {{kind: vlan, via: ssh, device: ios, port: Te1/1/1, expect: {{mode: trunk, trunk_allowed: {{contains: 120}}}}}}
              - {{kind: poe, via: ssh, device: ios, ports: [Gi1/0/3, Gi1/0/4], expect: {{powered: true, watts: {{ge: 4}}}}}}
              - {{kind: neighbor, via: ssh, protocol: cdp, device: ios, port: Te1/1/1, expect: {{device: {{regex: "CORE-1.*"}}}}}}
              - {{kind: neighbor, via: ssh, protocol: lldp, device: ios, port: Gi1/0/4, expect: {{device: AP-01}}}}
              - {{kind: mac, via: ssh, device: ios, port: Gi1/0/1, expect: {{mac: "00:1b:44:*", vlan: 120}}}}
              - {{kind: mac, via: ssh, device: ios, mac: "00:1b:44:00:00:07", expect: {{port: Gi1/0/2}}}}
              - {{kind: errors, via: ssh, device: ios, port: Te1/1/1, expect: {{crc: 0, input: {{le: 10}}}}}}
              - {{kind: state, via: ssh, device: ios, ports: Gi1/0/1-2, expect: {{err_disabled: false, stp: forwarding}}}}
          - id: nxos-ssh
            title: NX-OS over SSH
            duration: 5m
            checks:
              - {{kind: port, via: ssh, device: nxos, port: Eth1/12, expect: {{status: up, speed: 10G}}}}
              - {{kind: vlan, via: ssh, device: nxos, port: Eth1/12, expect: {{mode: trunk}}}}
              - {{kind: neighbor, via: ssh, protocol: lldp, device: nxos, port: Eth1/12, expect: {{device: {{regex: "IDF-SW.*"}}}}}}
              - {{kind: mac, via: ssh, device: nxos, port: Eth1/13, expect: {{count: {{ge: 1}}}}}}
              - {{kind: errors, via: ssh, device: nxos, port: Eth1/12, expect: {{input: 0}}}}
          - id: comware-ssh
            title: Comware over SSH
            duration: 5m
            checks:
              - {{kind: port, via: ssh, device: comware, port: GE1/0/5, expect: {{status: up, vlan: 110}}}}
              - {{kind: neighbor, via: ssh, device: comware, port: GE1/0/48, expect: {{device: CORE-2}}}}
              - {{kind: mac, via: ssh, device: comware, port: GE1/0/5, expect: {{count: 1}}}}
          - id: eos-ssh
            title: EOS over SSH
            duration: 5m
            checks:
              - {{kind: port, via: ssh, device: eos, port: Ethernet3, expect: {{status: up, description: {{regex: "PACS.*"}}}}}}
              - {{kind: neighbor, via: ssh, device: eos, port: Ethernet3, expect: {{device: PACS-SW}}}}
          - id: cx-ssh
            title: AOS-CX over SSH
            duration: 5m
            checks:
              - {{kind: port, via: ssh, device: cx, port: 1/1/12, expect: {{status: up}}}}
              - {{kind: mac, via: ssh, device: cx, port: 1/1/12, expect: {{count: {{ge: 1}}}}}}
      - id: snmp
        title: Over SNMP
        tasks:
          - id: ios-snmp
            title: IOS over SNMP
            duration: 5m
            checks:
              - {{kind: port, via: snmp, device: ios, ports: Gi1/0/1-4, expect: {{status: up, speed: 1G, vlan: 120}}}}
              - {{kind: vlan, via: snmp, device: ios, port: Gi1/0/2, expect: {{access: 120}}}}
              - {{kind: poe, via: snmp, device: ios, ports: [Gi1/0/3, Gi1/0/4], expect: {{powered: true, watts: {{ge: 4}}}}}}
              - {{kind: neighbor, via: snmp, protocol: lldp, device: ios, port: Gi1/0/4, expect: {{device: AP-01}}}}
              - {{kind: neighbor, via: snmp, protocol: cdp, device: ios, port: Te1/1/1, expect: {{device: {{regex: "CORE-1.*"}}}}}}
              - {{kind: errors, via: snmp, device: ios, port: Te1/1/1, expect: {{crc: 0}}}}
              - {{kind: state, via: snmp, device: ios, port: Gi1/0/1, expect: {{stp: forwarding}}}}
              - {{kind: snmp, device: ios, oid: 1.3.6.1.2.1.1.5.0, expect: {{regex: ".+"}}}}
          - id: comware-snmp
            title: Comware over SNMP v2c
            duration: 5m
            checks:
              - {{kind: port, device: comware, port: GE1/0/5, expect: {{status: up}}}}
              - {{kind: mac, via: snmp, device: comware, port: GE1/0/5, expect: {{count: 1}}}}
          - id: services
            title: Services
            duration: 5m
            checks:
              - {{kind: tcp, host: 203.0.113.10, port: 104}}
    """
)
