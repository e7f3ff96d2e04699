"""The films the program computes from the geometry, by name: light enough for the command line.

Radiographs (:mod:`meshes.radiograph`): the lateral (patient facing the image's left), the
anteroposterior, and the 45° left and right posterior obliques (the Scottie dog of the side
nearer the film).
"""

XRAY = ("xray-lateral", "xray-ap", "xray-oblique-left", "xray-oblique-right")
TITLES = {"xray-lateral": "Lateral", "xray-ap": "AP", "xray-oblique-left": "Left posterior oblique",
          "xray-oblique-right": "Right posterior oblique"}
