"""Photos with a report: checked to be real images, turned upright, stripped, resized, kept private.

A phone photo is often 5–12 MB with GPS coordinates in its EXIF data. Each upload is
opened with Pillow (a file that only claims to be an image is refused), limited in bytes
and pixels (a decompression bomb is refused), turned upright by its EXIF orientation,
re-encoded as JPEG at most 1600 px on the long side, and so loses every EXIF field,
location included. Photos are served only through views that check who is asking.
"""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile

from tongxin.core.errors import RefusedError

MAX_PHOTOS = 3
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: beyond any phone camera, well short of a bomb
LONG_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}  # MPO: some phones' JPEG variant


def clean(upload) -> ContentFile:
    """One uploaded file as a small, upright, EXIF-free JPEG, or a refusal saying why."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > MAX_UPLOAD_BYTES:
        raise RefusedError(
            "photo_too_big", "照片太大了（超过15 MB），请换一张", "The photo is over 15 MB; choose another"
        )
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise RefusedError("photo_format", "只能上传照片（JPG、PNG、WebP）", "Only photos (JPG, PNG, WebP)")
            if probe.width * probe.height > MAX_PIXELS:
                raise RefusedError("photo_pixels", "照片像素太多，请换一张", "The photo has too many pixels")
            probe.verify()  # a truncated or forged file fails here
        with Image.open(BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((LONG_SIDE, LONG_SIDE))
            out = BytesIO()
            image.save(out, "JPEG", quality=80, optimize=True)  # no exif= argument: nothing carried over
    except RefusedError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise RefusedError(
            "photo_invalid", "这个文件不是照片，或已经损坏", "This file is not a photo, or it is damaged"
        ) from None
    return ContentFile(out.getvalue(), name="photo.jpg")
