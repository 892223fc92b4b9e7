// SandboxScripts: the shell that builds explain's private namespace, and the bash that defines classes in it the way fai-class does.

enum SandboxScripts {
    /// Runs as process 1 of new mount, network, PID and UTS namespaces (`unshare`), as root.
    /// Arguments: WORK (an empty directory it mounts a tmpfs on), CONFIG (the config space),
    /// FACTS (a `faigen facts save` snapshot, or empty), OUT (where the driver writes its
    /// records), HOST (the host name). The new root is an overlay over `/` whose upper layer
    /// lives in that tmpfs, so whatever a class script writes anywhere vanishes with the
    /// namespace; /proc/sys and /sys are read-only, /dev holds only harmless nodes, there is
    /// no network, and the facts of the snapshot are bound over /proc and /sys. Nothing here
    /// is mounted outside the namespace.
    static let setup = #"""
        set -eu
        work=$1 config=$2 facts=$3 out=$4 host=$5
        mount --make-rprivate /
        mount -t tmpfs -o mode=0700,size=256m faigen-explain "$work"
        mkdir "$work/upper" "$work/work" "$work/root"
        mount -t overlay faigen-explain -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$work/root"
        r=$work/root
        mount -t proc proc "$r/proc"
        for p in sys sysrq-trigger; do
            [ -e "$r/proc/$p" ] || continue
            mount --bind "$r/proc/$p" "$r/proc/$p"
            mount -o remount,bind,ro "$r/proc/$p"
        done
        # The host name is the UTS namespace's own: FAI's setup hook may set it.
        for p in hostname domainname; do
            mount --bind "$r/proc/sys/kernel/$p" "$r/proc/sys/kernel/$p"
            mount -o remount,bind,rw "$r/proc/sys/kernel/$p"
        done
        mount --bind /sys "$r/sys"
        mount -o remount,bind,ro "$r/sys"
        mount -t tmpfs -o mode=0755,size=1m faigen-dev "$r/dev"
        for n in null zero full random urandom; do
            touch "$r/dev/$n"
            mount --bind "/dev/$n" "$r/dev/$n"
        done
        ln -s /proc/self/fd "$r/dev/fd"
        ln -s /proc/self/fd/0 "$r/dev/stdin"
        ln -s /proc/self/fd/1 "$r/dev/stdout"
        ln -s /proc/self/fd/2 "$r/dev/stderr"
        mount -t tmpfs -o mode=1777,size=256m faigen-tmp "$r/tmp"
        mount -t tmpfs -o mode=0755,size=64m faigen-run "$r/run"
        mkdir -p "$r/run/faigen/out" "$r/run/faigen/facts" "$r/run/faigen/bin" "$r/run/faigen/upper" "$r/var/lib/fai/config"
        mount --bind "$config" "$r/var/lib/fai/config"
        mount -o remount,bind,ro "$r/var/lib/fai/config"
        mount --bind "$out" "$r/run/faigen/out"
        mount --bind "$work/upper" "$r/run/faigen/upper"
        mount -o remount,bind,ro "$r/run/faigen/upper"
        if [ -n "$facts" ]; then
            mount --bind "$facts" "$r/run/faigen/facts"
            mount -o remount,bind,ro "$r/run/faigen/facts"
            # Every file of the snapshot stands in for the machine's own; /proc/self and
            # /proc/1 are the reading process's, so they are not replaced.
            for top in proc sys; do
                [ -d "$facts/$top" ] || continue
                find "$facts/$top" -type f | while IFS= read -r f; do
                    rel=${f#"$facts"}
                    case $rel in /proc/self/* | /proc/1/* | /proc/[0-9]*/*) continue ;; esac
                    if [ -f "$r$rel" ]; then mount --bind "$f" "$r$rel" 2>/dev/null || :; fi
                done
            done
        fi
        # The kernel log is the snapshot's (empty without one), never this machine's.
        printf '#!/bin/sh\n[ -r /run/faigen/facts/var/log/dmesg ] && cat /run/faigen/facts/var/log/dmesg\nexit 0\n' > "$r/run/faigen/bin/dmesg"
        chmod 0755 "$r/run/faigen/bin/dmesg"
        hostname "$host" 2>/dev/null || :
        cd /
        exec chroot "$r" /bin/bash /run/faigen/out/driver
        """#

    /// Runs inside the namespace (bash, from OUT/driver). It does what FAI does to define
    /// classes: the `setup` and `defclass` hooks with FAI's first classes, then fai-class's
    /// loop over class/ (or, in reference mode, FAI's own `fai-class -T`). Every step is
    /// written to OUT/record as `WHAT<TAB>NAME<TAB>VALUE` lines; bash scripts are traced with
    /// `+NAME:LINE:` into OUT/trace so a class can be traced to the line that printed it.
    static let driver = ##"""
        out=/run/faigen/out
        mode=$(< $out/mode)
        exec </dev/null >>$out/output 2>&1
        ulimit -f 65536 2>/dev/null
        ulimit -v 4194304 2>/dev/null
        record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> $out/record; }
        # timeout(1) signals the whole process group: the running script ends, this stops.
        trap 'record timeout - -; exit 124' TERM
        position() { stat -c %s $out/trace 2>/dev/null || echo 0; }
        : > $out/trace
        PS4='+${BASH_SOURCE##*/}:${LINENO}: '
        exec 9>>$out/trace
        BASH_XTRACEFD=9
        printf '%s\n' "PS4='+\${BASH_SOURCE##*/}:\${LINENO}: '" 'exec 9>>/run/faigen/out/trace' 'BASH_XTRACEFD=9' 'set -x' > /run/faigen/trace-env
        export LOGDIR=/tmp/fai FAI=/var/lib/fai/config FAI_ACTION=${FAI_ACTION:-install} do_init_tasks=${do_init_tasks:-1}
        export PATH=/run/faigen/bin:/usr/local/sbin:/usr/local/bin:/usr/lib/fai:/usr/sbin:/usr/bin:/sbin:/bin
        mkdir -p $LOGDIR
        # fai sources its subroutines under set -a, which exports its functions (ifclass, ...).
        if [ -r /usr/lib/fai/subroutines ]; then
            set -a
            . /usr/lib/fai/subroutines >/dev/null 2>&1
            set +a
        else
            record missing subroutines /usr/lib/fai/subroutines
        fi
        export faimond=0 STOP_ON_ERROR=700
        echo 0 > $LOGDIR/task_local_error
        echo 0 > $LOGDIR/task_error

        # What a step wrote to the root file system: paths new in the overlay's upper layer
        # since the last step, and paths changed after the stamp touched before it (the
        # stamp alone misses writes within the clock tick it was touched in).
        : > /run/faigen/seen
        written() {
            find /run/faigen/upper -mindepth 1 ! -type d 2>/dev/null | sort > /run/faigen/now
            { comm -13 /run/faigen/seen /run/faigen/now
              find /run/faigen/upper -mindepth 1 -cnewer /run/faigen/stamp ! -type d 2>/dev/null; } | sort -u |
                while IFS= read -r p; do record wrote "$1" "${p#/run/faigen/upper}"; done
            mv /run/faigen/now /run/faigen/seen
        }

        # call_hook TASK, as /usr/lib/fai/subroutines runs hooks: per class, .sh sourced, then executed.
        hooks() {
            local task=$1 cl hfile
            for cl in $classes; do
                hfile=$FAI/hooks/$task.$cl
                [ -f $hfile -a ! -x $hfile ] && continue
                [ -f $hfile.sh -a ! -x $hfile.sh ] && continue
                if [ -x $hfile.sh ]; then
                    record start hook hooks/$task.$cl.sh
                    touch /run/faigen/stamp
                    set -x
                    . $hfile.sh
                    st=$?
                    { set +x; } 2>/dev/null
                    written hooks/$task.$cl.sh
                    record end hooks/$task.$cl.sh $st
                fi
                if [ -x $hfile ]; then
                    record start hook hooks/$task.$cl
                    touch /run/faigen/stamp
                    BASH_ENV=/run/faigen/trace-env $hfile
                    st=$?
                    written hooks/$task.$cl
                    record end hooks/$task.$cl $st
                fi
            done
        }

        classes="DEFAULT $(uname -s | tr a-z A-Z) $HOSTNAME LAST"
        hooks setup
        hooks defclass
        record variable HOSTNAME "$HOSTNAME"
        record variable ADDCLASSES "${ADDCLASSES:-}"

        filename=$LOGDIR/FAI_CLASSES
        if [ "$mode" = reference ]; then
            touch /run/faigen/stamp
            record start fai-class fai-class
            fai-class -T $FAI/class $filename
            record end fai-class $?
            cp $filename $out/FAI_CLASSES
            exit 0
        fi

        # fai-class, step by step (/usr/bin/fai-class).
        addclass() {
            local origin=$1 line class
            while read line; do
                case $line in
                \#*) ;;
                *) for class in $line; do
                       echo $class >> $filename
                       record class "$origin" "$class"
                   done ;;
                esac
            done
        }
        : > $filename
        cd $FAI/class || { record failed cd "$FAI/class"; exit 0; }
        PATH=.:$PATH
        export PATH
        echo DEFAULT | addclass fai
        for f in $(echo [0-9][0-9]* 2>/dev/null); do
            [ -f $f ] || continue
            if [ ! -x $f ]; then record skipped "$f" "not executable"; continue; fi
            classes=$(< $filename)
            export classes
            case $f in
            *~|*.bak) record skipped "$f" backup ;;
            *.sh)
                record start script "$f"
                record trace "$f" "$(position)"
                touch /run/faigen/stamp
                newclasses=
                set -x
                . $f
                st=$?
                { set +x; } 2>/dev/null
                record trace-end "$f" "$(position)"
                written "$f"
                record end "$f" $st
                echo $newclasses | addclass "$f" ;;
            *.source) record skipped "$f" "deprecated .source" ;;
            *)
                record start script "$f"
                record trace "$f" "$(position)"
                touch /run/faigen/stamp
                classes=`BASH_ENV=/run/faigen/trace-env ./$f 2>>$out/stderr.$f`
                st=$?
                record trace-end "$f" "$(position)"
                written "$f"
                record end "$f" $st
                echo $classes | addclass "$f" ;;
            esac
        done
        if [ -f $LOGDIR/additional-classes ]; then
            cat $LOGDIR/additional-classes | addclass additional-classes
            rm -f $LOGDIR/additional-classes
        fi
        if [ -f "$HOSTNAME" ]; then
            grep -v "^#" $HOSTNAME | addclass host-file
        fi
        echo ${ADDCLASSES//,/ } | addclass ADDCLASSES
        echo $HOSTNAME LAST | addclass fai
        [ -f $LOGDIR/additional.var ] && cp $LOGDIR/additional.var $out/additional.var
        record done - -
        cp $filename $out/FAI_CLASSES
        """##
}
