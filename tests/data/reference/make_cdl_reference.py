"""Reference values for the ASC CDL from OpenColorIO's CDLTransform (CPU processor, float32).

Run: pip install opencolorio==2.* ; python3 make_cdl_reference.py  (writes cdl_reference.json)
"""
import json
import itertools

import PyOpenColorIO as ocio

CDLS = [
    # (name, slope, offset, power, saturation)
    ("ocio_cdl_test1", [1.35, 1.1, 0.71], [0.05, -0.23, 0.11], [0.93, 0.81, 1.27], 1.239),
    ("warm_print", [1.2, 1.0, 0.8], [0.02, 0.0, -0.03], [1.1, 1.0, 0.9], 0.8),
    ("identity_sat0", [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], 0.0),
]

values = [-0.25, -0.01, 0.0, 0.02, 0.18, 0.5, 0.75, 1.0, 1.5, 4.0]
inputs = [list(v) for v in itertools.product(values[::2], values[1::2], values[::3])]

out = {"generator": "OpenColorIO " + ocio.__version__ + " CDLTransform", "inputs": inputs, "cases": []}
for name, slope, offset, power, sat in CDLS:
    for style, style_name in [(ocio.CDL_ASC, "asc"), (ocio.CDL_NO_CLAMP, "no-clamp")]:
        t = ocio.CDLTransform()
        t.setSlope(slope)
        t.setOffset(offset)
        t.setPower(power)
        t.setSat(sat)
        t.setStyle(style)
        cpu = ocio.GetCurrentConfig().getProcessor(t).getDefaultCPUProcessor()
        outputs = [list(cpu.applyRGB(list(map(float, rgb)))) for rgb in inputs]
        out["cases"].append({"name": name, "style": style_name, "slope": slope, "offset": offset,
                             "power": power, "saturation": sat, "outputs": outputs})

with open("cdl_reference.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", len(out["cases"]), "cases x", len(inputs), "inputs")
