"""Faces, found with the frontal-face Haar cascade OpenCV 4 ships (OpenCV 5 dropped the cascades).

The picture is scaled down so its longer side is at most DETECT_SIDE pixels before detection (a
24-megapixel photo takes seconds at full size and finds the same faces), and boxes are scaled back.
`MIN_NEIGHBOURS` 6 (OpenCV's default is 3) trades a few small, blurred faces for far fewer false
faces in textures and pages of text; a face must be at least MIN_FACE_SHARE of the shorter side.
"""

from __future__ import annotations

import functools
from typing import Any

from PIL import Image

DETECT_SIDE = 1280  # longer side of the copy faces are looked for in
SCALE_FACTOR = 1.1  # the cascade's pyramid step: finer steps find more faces, slower
MIN_NEIGHBOURS = 6  # overlapping detections a face needs: fewer false faces in text and textures
MIN_FACE_SHARE = 0.04  # of the shorter side: a face smaller than this cannot be told from noise
MIN_FACE_PX = 24  # the cascade's own window
CASCADE = "haarcascade_frontalface_default.xml"

Box = tuple[int, int, int, int]


@functools.cache
def _cascade() -> Any:
    import cv2  # 60 ms to import: paid by the first picture, not by workers that never see one

    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)  # type: ignore[attr-defined]
    if classifier.empty():
        raise RuntimeError(f"OpenCV's {CASCADE} could not be loaded")
    return classifier


def find_faces(image: Image.Image) -> list[Box]:
    """Boxes (left, top, width, height) of the frontal faces in `image`, in its own pixels."""
    import numpy

    scale = min(1.0, DETECT_SIDE / max(image.width, image.height, 1))
    grey = image.convert("L")
    if scale < 1.0:
        grey = grey.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                           Image.Resampling.BILINEAR)
    smallest = max(MIN_FACE_PX, round(min(grey.width, grey.height) * MIN_FACE_SHARE))
    if min(grey.width, grey.height) < smallest:
        return []
    found = _cascade().detectMultiScale(numpy.asarray(grey), scaleFactor=SCALE_FACTOR,
                                        minNeighbors=MIN_NEIGHBOURS, minSize=(smallest, smallest))
    boxes = [tuple(round(int(v) / scale) for v in box) for box in found]
    return sorted(boxes)  # type: ignore[arg-type]
