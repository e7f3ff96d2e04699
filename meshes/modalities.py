"""The films the program computes from the geometry, by name: light enough for the command line.

Radiographs (:mod:`meshes.radiograph`): the lateral (patient facing the image's left), the
anteroposterior, and the left and right posterior obliques (the Scottie dog of the side
nearer the film), and the pair of laterals in full extension and full flexion. T2-weighted
MRI slices (:mod:`meshes.mri`): mid-sagittal, parasagittal through each foramen, and axial
through the disc seen from the feet.
"""

XRAY = ("xray-lateral", "xray-ap", "xray-oblique-left", "xray-oblique-right")
# A pair of lateral films, in full extension and full flexion side by side, the state's other
# conditions as they are: what dynamic instability is judged on.
PAIRS = ("xray-flexion-extension",)
MRI = ("mri-sagittal", "mri-foramen-left", "mri-foramen-right", "mri-axial")
FILMS = XRAY + PAIRS + MRI
# The films that carry a teaching overlay (``meshes.film_overlay``): the lateral its Meyerding
# construction, the obliques the Scottie dog's parts named.
OVERLAID = ("xray-lateral", "xray-oblique-left", "xray-oblique-right", "xray-flexion-extension")
TITLES = {"xray-lateral": "Lateral", "xray-ap": "AP", "xray-oblique-left": "Left posterior oblique",
          "xray-oblique-right": "Right posterior oblique",
          "xray-flexion-extension": "Flexion–extension laterals", "mri-sagittal": "T2 mid-sagittal",
          "mri-foramen-left": "T2 left foramen", "mri-foramen-right": "T2 right foramen",
          "mri-axial": "T2 axial at L5–S1"}
# How far each MRI slice can be moved from its standard plane, each way (mm; ``meshes.slice_planes``):
# the mid-sagittal one out past either foramen, a foraminal one from the lateral recess to beyond
# the foramen, the axial one from the lower L5 body to the top of S1.
SLICE_TRAVEL_MM = {"mri-sagittal": 35.0, "mri-foramen-left": 12.0, "mri-foramen-right": 12.0, "mri-axial": 15.0}
