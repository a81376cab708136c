#!/usr/bin/env bash
# The same grade (ASC CDL, then a 33-point .cube, no colour conversion) on the same folder of 4K
# half-float EXR frames with the tools a user would otherwise pick: oiiotool (OpenImageIO, through
# OpenColorIO file transforms), ffmpeg's lut3d filter, and `cinegrade render`. Prints wall times,
# frames/s, each tool's time relative to cinegrade's, and how far the outputs are from cinegrade's.
#
# Not run by CI (it needs tools installed from the network). Usage:
#   benches/compare_tools.sh                     # uses target/release/cinegrade
#   BUILD=1 benches/compare_tools.sh             # cargo build --release first
#   CINEGRADE=path/to/cinegrade FRAMES=8 benches/compare_tools.sh
# Other settings: CDL=file.cc LUT=file.cube SOURCE=frame.exr SIZE=3840x2160 WORK=dir KEEP=1
# FLOOR=0 skips the no-grade I/O floor.
# The default grade is a moderate CDL (written below) whose output keeps the picture's detail, as a
# real grade does; CDL=../shared/testdata/cdl/cdl_test1.cc (offset +2.1, power 3.1) drives every
# pixel past the LUT's top corner, so every tool then writes flat frames that compress to nothing.
# A WORK folder that already holds the FRAMES input frames (from a KEEP=1 run) is reused as is.
# Then the same grade on the same frames as 10-bit DPX (read, grade, write 10-bit DPX), and the decode
# rate of a 4K ProRes 4444 clip (cinegrade's playback engine against ffmpeg decoding to nothing).
# DPX=0 or PRORES=0 skips those cases.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTDATA=${TESTDATA:-$ROOT/../shared/testdata}
FRAMES=${FRAMES:-24}
SIZE=${SIZE:-3840x2160}
CDL=${CDL:-}
LUT=${LUT:-$TESTDATA/luts_cc0/classic_film.cube}
SOURCE=${SOURCE:-$TESTDATA/exr/ScanLines_Desk.exr}
FIRST=1001
LAST=$((FIRST + FRAMES - 1))

die() {
    echo "compare_tools: $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found; install it with: $2"
}

need oiiotool "pip install openimageio   (the wheel ships the oiiotool binary)"
need ffmpeg "apt-get update && apt-get install -y ffmpeg"
need python3 "apt-get install -y python3"
ffmpeg -hide_banner -encoders 2>/dev/null | grep ' exr ' >/dev/null || die "this ffmpeg has no EXR encoder"
ffmpeg -hide_banner -filters 2>/dev/null | grep ' lut3d ' >/dev/null || die "this ffmpeg has no lut3d filter"
for f in ${CDL:+"$CDL"} "$LUT" "$SOURCE"; do
    [[ -f $f ]] || die "$f: not found (set TESTDATA, CDL, LUT or SOURCE)"
done
lut_size=$(awk '/^LUT_3D_SIZE/ {print $2}' "$LUT")
[[ $lut_size == 33 ]] || die "$LUT: a ${lut_size:-non-3D} LUT; pick a 33-point .cube (LUT=...)"

if [[ -n ${CINEGRADE:-} ]]; then
    [[ -x $CINEGRADE ]] || die "CINEGRADE=$CINEGRADE is not an executable"
else
    if [[ -n ${BUILD:-} ]]; then
        (cd "$ROOT" && cargo build --release --bin cinegrade)
    fi
    CINEGRADE=$ROOT/target/release/cinegrade
    [[ -x $CINEGRADE ]] || die "no $CINEGRADE; run with BUILD=1 or set CINEGRADE=path"
fi

WORK=${WORK:-$(mktemp -d -t cinegrade-compare.XXXXXX)}
mkdir -p "$WORK"
if [[ -z ${KEEP:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi
IN=$WORK/in
mkdir -p "$IN"
if [[ -z $CDL ]]; then
    CDL=$WORK/grade.cc
    cat >"$CDL" <<'CC'
<ColorCorrection id="moderate">
  <SOPNode><Slope>1.1 0.95 0.9</Slope><Offset>0.02 0.0 -0.01</Offset><Power>1.1 1.0 0.95</Power></SOPNode>
  <SatNode><Saturation>0.9</Saturation></SatNode>
</ColorCorrection>
CC
fi

now() { date +%s.%N; }
cores=$(nproc)

echo "machine:   $cores cores, $(uname -m); cinegrade adapter: $("$CINEGRADE" -v bake-lut --overwrite -o "$WORK/probe.cube" --size 2 2>&1 | sed -n 's/^adapter: //p')"
echo "tools:     oiiotool $(oiiotool --version), $(ffmpeg -hide_banner -version | head -1 | cut -d' ' -f1-3), $("$CINEGRADE" --version)"
echo "work:      $FRAMES frames $SIZE half RGBA EXR (ZIP) from $(basename "$SOURCE"), CDL $(basename "$CDL"), LUT $(basename "$LUT") (33^3)"
echo "folder:    $WORK"

# Source frames: the test picture resized to 4K, its exposure varied per frame so no two are alike.
if [[ $(find "$IN" -name 'frame.*.exr' | wc -l) == "$FRAMES" && -f $IN/frame.$LAST.exr ]]; then
    echo "reusing the $FRAMES frames in $IN"
else
    echo "generating $FRAMES frames..."
    rm -f "$IN"/frame.*.exr
    oiiotool -q "$SOURCE" --resize "$SIZE" -d half --compression zip -o "$WORK/base.exr"
    for ((f = FIRST; f <= LAST; f++)); do
        gain=$(python3 -c "print(0.8 + 0.4 * ($f - $FIRST) / max(1, $FRAMES - 1))")
        oiiotool -q "$WORK/base.exr" --mulc "$gain,$gain,$gain,1" -d half --compression zip \
            -o "$IN/frame.$f.exr"
    done
fi
rm -rf "$WORK/out_cinegrade" "$WORK/out_oiiotool" "$WORK/out_ffmpeg"

# ffmpeg's lut3d takes one 3D table and nothing else: bake CDL + LUT into one cube (same size).
# The baked table samples inputs 0..1 only, so source values outside 0..1 differ from the others.
"$CINEGRADE" bake-lut --overwrite --cdl "$CDL" --lut "$LUT" -o "$WORK/cdl_and_lut.cube" --size 33

declare -A seconds
# The folder whose files the next timed runs read: read once before each run, so every tool starts
# from the page cache (this VM's memory reclaim evicts files left idle for a minute, which had made the
# first tool timed read from disk and the ratios to it swing by up to 40 %).
WARM=
timed() {
    local name=$1
    shift
    local t0 t1
    if [[ -n $WARM ]]; then
        cat "$WARM"/* >/dev/null
    fi
    t0=$(now)
    "$@"
    t1=$(now)
    seconds[$name]=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    echo "  $name: ${seconds[$name]} s"
}

echo "timing (wall clock, one run each):"
mkdir -p "$WORK/out_cinegrade" "$WORK/out_oiiotool" "$WORK/out_ffmpeg"
# cinegrade writes half-float EXR, ZIP compressed, keeping the source's alpha.
WARM=$IN
timed cinegrade "$CINEGRADE" render --cdl "$CDL" --lut "$LUT" "$IN" -o "$WORK/out_cinegrade"
# The same render with half-float transport off (half sources widened to float on the CPU, outputs read
# back as float and rounded on the CPU): what the half path saves. Its files must be the same bytes.
rm -rf "$WORK/out_cinegrade_f32" && mkdir -p "$WORK/out_cinegrade_f32"
timed cinegrade_f32 env CINEGRADE_HALF=off "$CINEGRADE" render --cdl "$CDL" --lut "$LUT" "$IN" -o "$WORK/out_cinegrade_f32"
for f in "$WORK"/out_cinegrade/frame.*.exr; do
    cmp -s "$f" "$WORK/out_cinegrade_f32/$(basename "$f")" || die "$(basename "$f"): the half and float paths differ"
done
# oiiotool: one call over the frame range, frames evaluated in parallel; CDL then LUT through
# OpenColorIO file transforms, half-float ZIP out.
timed oiiotool oiiotool -q --parallel-frames --frames "$FIRST-$LAST" "$IN/frame.#.exr" \
    --ociofiletransform "$CDL" --ociofiletransform "$LUT" -d half --compression zip \
    -o "$WORK/out_oiiotool/frame.#.exr"
# ffmpeg: image2 sequence in, the baked cube through lut3d (tetrahedral), half-float ZIP16 EXR out.
timed ffmpeg ffmpeg -hide_banner -loglevel error -y -start_number "$FIRST" -i "$IN/frame.%d.exr" \
    -vf "lut3d=file=$WORK/cdl_and_lut.cube:interp=tetrahedral" -c:v exr -format half -compression zip16 \
    -start_number "$FIRST" "$WORK/out_ffmpeg/frame.%d.exr"

for tool in cinegrade oiiotool ffmpeg; do
    n=$(find "$WORK/out_$tool" -name 'frame.*.exr' | wc -l)
    [[ $n == "$FRAMES" ]] || die "$tool wrote $n of $FRAMES frames"
done

# Same work: compare each tool's first frame with cinegrade's (RGB; max and mean absolute difference).
max_diff() {
    local report
    report=$(oiiotool "$1" --ch R,G,B "$2" --ch R,G,B --diff 2>&1 || true)
    if grep -q '^PASS' <<<"$report" && ! grep -q 'Max error' <<<"$report"; then
        echo "identical"
    else
        sed -n 's/^ *\(Mean error\|Max error\) *= *\([^ ]*\).*/\1 \2/p' <<<"$report" | tr '\n' ' '
    fi
}
echo "agreement with cinegrade, frame $FIRST:"
echo "  oiiotool: $(max_diff "$WORK/out_cinegrade/frame.$FIRST.exr" "$WORK/out_oiiotool/frame.$FIRST.exr")"
echo "  ffmpeg:   $(max_diff "$WORK/out_cinegrade/frame.$FIRST.exr" "$WORK/out_ffmpeg/frame.$FIRST.exr")"
echo
printf '%-14s %10s %10s %16s %14s\n' tool seconds frames/s "time/cinegrade" "MB per frame"
for tool in cinegrade cinegrade_f32 oiiotool ffmpeg; do
    bytes=$(find "$WORK/out_$tool" -name 'frame.*.exr' -printf '%s\n' | awk '{s += $1} END {print s}')
    python3 -c "
t = ${seconds[$tool]}; c = ${seconds[cinegrade]}
print(f'%-14s %10.2f %10.2f %16.2f %14.1f' % ('$tool', t, $FRAMES / t, t / c, $bytes / $FRAMES / 1e6))"
done

# --- The I/O floor: the same frames read and written again with no grade (half ZIP EXR out), by each
# tool, so the table above shows how much of each tool's time is decode and encode.
if [[ ${FLOOR:-1} != 0 ]]; then
    rm -rf "$WORK"/floor_*
    mkdir -p "$WORK/floor_cinegrade" "$WORK/floor_oiiotool" "$WORK/floor_ffmpeg"
    echo
    echo "I/O floor: the same $FRAMES frames copied with no grade (wall clock, one run each):"
    timed floor_cinegrade "$CINEGRADE" render "$IN" -o "$WORK/floor_cinegrade"
    timed floor_oiiotool oiiotool -q --parallel-frames --frames "$FIRST-$LAST" "$IN/frame.#.exr" \
        -d half --compression zip -o "$WORK/floor_oiiotool/frame.#.exr"
    timed floor_ffmpeg ffmpeg -hide_banner -loglevel error -y -start_number "$FIRST" -i "$IN/frame.%d.exr" \
        -c:v exr -format half -compression zip16 -start_number "$FIRST" "$WORK/floor_ffmpeg/frame.%d.exr"
    printf '%-10s %12s %12s %18s\n' tool "graded s" "floor s" "grade share"
    for tool in cinegrade oiiotool ffmpeg; do
        python3 -c "
g = ${seconds[$tool]}; f = ${seconds[floor_$tool]}
print(f'%-10s %12.2f %12.2f %17.0f%%' % ('$tool', g, f, 100 * max(0.0, g - f) / g))"
    done
fi

# --- DPX 10-bit: the same frames as 10-bit DPX (oiiotool writes them), graded to 10-bit DPX.
if [[ ${DPX:-1} != 0 ]]; then
    DIN=$WORK/in_dpx
    mkdir -p "$DIN"
    if [[ $(find "$DIN" -name 'frame.*.dpx' | wc -l) != "$FRAMES" ]]; then
        echo
        echo "writing the $FRAMES frames as 10-bit DPX..."
        oiiotool -q --frames "$FIRST-$LAST" "$IN/frame.#.exr" --ch R,G,B -d uint10 -o "$DIN/frame.#.dpx"
    fi
    rm -rf "$WORK"/dpx_*
    mkdir -p "$WORK/dpx_cinegrade" "$WORK/dpx_oiiotool" "$WORK/dpx_ffmpeg"
    echo "DPX 10-bit $SIZE, $FRAMES frames (wall clock, one run each):"
    WARM=$DIN
    timed dpx_cinegrade "$CINEGRADE" render --cdl "$CDL" --lut "$LUT" "$DIN" -o "$WORK/dpx_cinegrade"
    timed dpx_oiiotool oiiotool -q --parallel-frames --frames "$FIRST-$LAST" "$DIN/frame.#.dpx" \
        --ociofiletransform "$CDL" --ociofiletransform "$LUT" -d uint10 -o "$WORK/dpx_oiiotool/frame.#.dpx"
    timed dpx_ffmpeg ffmpeg -hide_banner -loglevel error -y -start_number "$FIRST" -i "$DIN/frame.%d.dpx" \
        -vf "lut3d=file=$WORK/cdl_and_lut.cube:interp=tetrahedral" -pix_fmt gbrp10be \
        -start_number "$FIRST" "$WORK/dpx_ffmpeg/frame.%d.dpx"
    printf '%-14s %10s %10s %16s\n' tool seconds frames/s "time/cinegrade"
    for tool in cinegrade oiiotool ffmpeg; do
        n=$(find "$WORK/dpx_$tool" -name 'frame.*.dpx' | wc -l)
        [[ $n == "$FRAMES" ]] || die "$tool wrote $n of $FRAMES DPX frames"
        python3 -c "
t = ${seconds[dpx_$tool]}; c = ${seconds[dpx_cinegrade]}
print(f'%-14s %10.2f %10.2f %16.2f' % ('dpx $tool', t, $FRAMES / t, t / c))"
    done
fi

# --- ProRes 4444 at 4K: decode rate. cinegrade plays the clip through its playback engine (decode,
# Y'CbCr to RGB, upload, display pass: every frame, as fast as it goes); ffmpeg decodes to nothing.
if [[ ${PRORES:-1} != 0 ]]; then
    CLIP=$WORK/prores4444.mov
    if [[ ! -f $CLIP ]]; then
        echo
        echo "encoding a $FRAMES-frame $SIZE ProRes 4444 clip..."
        ffmpeg -hide_banner -loglevel error -y -start_number "$FIRST" -i "$IN/frame.%d.exr" \
            -c:v prores_ks -profile:v 4 -pix_fmt yuva444p10le "$CLIP"
    fi
    echo "ProRes 4444 $SIZE decode, $FRAMES frames:"
    WARM=
    cat "$CLIP" >/dev/null
    timed prores_ffmpeg ffmpeg -hide_banner -loglevel error -i "$CLIP" -f null -
    cat "$CLIP" >/dev/null
    "$CINEGRADE" play "$CLIP" --measure 2>&1 | sed 's/^/  cinegrade play: /'
    python3 -c "print('  ffmpeg decode: %.2f frames/s' % ($FRAMES / ${seconds[prores_ffmpeg]}))"
fi

