// DefaultSite: the site spec faigen renders when given none (`make render`).

/// How errors name the embedded default spec.
public let defaultSiteSpecName = "(embedded default site)"

/// How generated headers name the embedded default spec: the same in every faigen version,
/// so a later render recognises an earlier render of the starter (`SiteSpec.locate`).
public let defaultSiteOrigin = "faigen's starter site"

/// The embedded default site spec, in the same YAML a user writes in `faigen.yaml`:
/// a small starter site that uses every generator. XenServer guests (seed 003) are
/// detected from the kernel log and get a grub-legacy menu.lst without an MBR install;
/// Ganeti instances (seed 000) get classes from their host names; the nfsroot list
/// carries what the generated scripts need. docs/spec.md describes every key.
public let defaultSiteSpec = #"""
    # faigen's default site: a starter config space that uses every generator.
    # Copy it to faigen.yaml, edit it, and run `faigen render /srv/fai/config`.
    # docs/spec.md describes every key.
    site: starter
    version: "1"

    # Kernel-log rules for class/60-detect-XenServer, beside seed 003's XENSERVER
    # rule, in the rule format of `faigen detect --rules` (docs/detect.md).
    detect:
      - id: xenserver-citrix-kernel
        source: kernel-log
        pattern: 'Linux version \S+ \(Debian [^)]*\.xs\d'
        classes: [XS_KERNEL]
        reason: the guest runs the Citrix kernel from xs-tools (seed 003)
        examples:
          fire: ['[    0.000000] Linux version 2.6.32-4-686-bigmem (Debian 2.6.32-10.xs5.6.0.226) (gcc version 4.3.5)']
          quiet: ['[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0)']

    # XenServer boots paravirtualized guests through pygrub, which reads menu.lst:
    # fill it in and run update-grub, never install grub into an MBR.
    grub_legacy:
      class: XENSERVER
      root_partition: /dev/xvda1
      groot: (hd0,0)
      kernel: /vmlinuz
      initrd: /initrd.img
      kernel_args: console=hvc0
      timeout: 5

    # A Ganeti OS definition passes the instance name as hostname= to FAI.
    ganeti:
      hostname_classes:
        - pattern: '^web\d+(\.|$)'
          classes: [WEB]
        - pattern: '^db\d+(\.|$)'
          classes: [DB]

    # The FAI server's nfsroot (files/etc/fai/NFSROOT/FAISERVER); pcre2-utils,
    # which the class scripts need, is added when missing.
    nfsroot:
      packages:
        install-norec:
          - nfs-common
          - fai-nfsroot
          - rpcbind
          - rsync
          - lshw
          - hdparm
          - smartmontools
          - dosfstools
          - gdisk
          - lvm2
          - mdadm
          - xfsprogs
          - ca-certificates
          - curl
          - less
          - pcre2-utils
        install-norec AMD64:
          - grub-pc
          - linux-image-amd64

    classes:
      DEFAULT:
        packages:
          install-norec:
            - linux-image-amd64
            - openssh-server
            - locales
            - less
            - vim-tiny
        var:
          FAI_DEBOOTSTRAP: bookworm http://deb.debian.org/debian
          TIMEZONE: Etc/UTC
          UTC: "yes"
          KEYMAP: us
          # '!' locks root's password: log in with an SSH key, or set a hash here.
          ROOTPW: "!"
        disk_config: |
          # one disk: the root file system is the first partition
          # (/dev/xvda1 on a XenServer guest, as menu.lst expects)
          disk_config disk1 disklabel:msdos bootable:1 fstabkey:uuid
          primary  /     4G-50G  ext4  rw,noatime,errors=remount-ro
          logical  swap  200-1G  swap  sw
        debconf: |
          locales locales/default_environment_locale select C.UTF-8
          locales locales/locales_to_be_generated multiselect en_US.UTF-8 UTF-8
        files:
          /etc/motd:
            content: |
              This host was installed by FAI from a config space rendered by faigen.
            mode: "0644"
      XENSERVER:
        packages:
          install-norec: [grub-legacy]
          remove: [grub-pc]
      WEB:
        packages:
          install-norec: [nginx]
        files:
          /etc/nginx/conf.d/status.conf:
            content: |
              server {
                  listen 127.0.0.1:8080;
                  location /status { stub_status; }
              }
            mode: "0640"
            owner: root
            group: www-data
            postinst: |
              #!/bin/sh
              # fcopy runs this as `postinst CLASS DESTFILE`; check the new file inside the target.
              $ROOTCMD nginx -t
      DB:
        packages:
          install-norec: [postgresql]
      DEVEL:
        packages:
          install-norec: [build-essential, git]

    # Hosts for the boot side; class/HOSTNAME lists the classes of each.
    hosts:
      - name: web01
        mac: "52:54:00:00:10:01"
        ip: 10.1.1.11
      - name: db01
        mac: "52:54:00:00:10:02"
        ip: 10.1.1.12
      - name: build01
        mac: "52:54:00:00:10:03"
        ip: 10.1.1.13
        classes: [DEVEL]

    """#
