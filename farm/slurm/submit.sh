#!/usr/bin/env bash
# Submits a shot's render and QC to Slurm: render.sbatch and qc.sbatch as array jobs sized from the
# frame range, and qc-merge.sbatch once every QC task is done.
#
#   farm/slurm/submit.sh show.cgproj A001 1001 1100 /renders/A001/A001.####.exr /qc/A001
#
# Settings from the environment: CHUNK (render frames per task, 8), QC_CHUNK (48), PROFILE
# (ebu-r103), CINEGRADE (cinegrade on the nodes' PATH).
set -euo pipefail
if [[ $# -ne 6 ]]; then
    echo "usage: $0 PROJECT SHOT FIRST LAST OUTPUT_PATTERN REPORTS_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PROJECT=$1 SHOT=$2 FIRST=$3 LAST=$4 OUTPUT=$5 REPORTS=$6
export CINEGRADE=${CINEGRADE:-cinegrade} PROFILE=${PROFILE:-ebu-r103}
chunk=${CHUNK:-8}
qc_chunk=${QC_CHUNK:-48}
if ((LAST < FIRST || chunk < 1 || qc_chunk < 2)); then
    echo "$0: need FIRST <= LAST, CHUNK >= 1 and QC_CHUNK >= 2" >&2
    exit 2
fi
tasks=$(((LAST - FIRST) / chunk + 1))
qc_tasks=$(((LAST - FIRST) / qc_chunk + 1))
render=$(CHUNK=$chunk sbatch --parsable --export=ALL --array="0-$((tasks - 1))" "$here/render.sbatch")
qc=$(CHUNK=$qc_chunk sbatch --parsable --export=ALL --array="0-$((qc_tasks - 1))" "$here/qc.sbatch")
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$qc" "$here/qc-merge.sbatch")
echo "render job $render ($tasks tasks of $chunk frames), qc job $qc ($qc_tasks tasks), merge job $merge"
