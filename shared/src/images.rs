//! Image uploads (SPEC §2, §6): "Logo (png/jpeg/gif, at most 250×80 px, 600 KB)", "background
//! image (recommended 1200×800, 600 KB)", the promo image in one of its shapes. The cabinet
//! sends the file as it is; the worker measures it here — its type from its first bytes, not
//! from what the browser claims, and its size in pixels from its header — checks it for its use
//! and stores it.

use crate::appearance::{ImageRef, ImageType};
use crate::validation::{Problem, Problems};
use serde::{Deserialize, Serialize};

/// What an uploaded image is for; each use has its own checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageUse {
    /// The form's logo: at most 250×80 px.
    Logo,
    /// The form's background.
    Background,
    /// The promo image (its shape's proportions are checked with the promo's settings).
    Promo,
}

impl ImageUse {
    /// The use named in a query string (`logo`, `background`, `promo`).
    pub fn parse(s: &str) -> Option<ImageUse> {
        match s {
            "logo" => Some(ImageUse::Logo),
            "background" => Some(ImageUse::Background),
            "promo" => Some(ImageUse::Promo),
            _ => None,
        }
    }

    /// Its name in paths and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageUse::Logo => "logo",
            ImageUse::Background => "background",
            ImageUse::Promo => "promo",
        }
    }
}

impl ImageType {
    /// The file type from the file's first bytes ("png/jpeg/gif"), whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageType::Gif)
        } else {
            None
        }
    }

    /// The MIME type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Gif => "image/gif",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Png => "png",
            ImageType::Jpeg => "jpg",
            ImageType::Gif => "gif",
        }
    }
}

/// Measures the uploaded `bytes` for `usage` and checks them; the image will be served at `url`.
/// Problems are under `path` (the field the cabinet shows them next to).
#[cfg(feature = "server")]
pub fn measure(
    bytes: &[u8],
    usage: ImageUse,
    url: String,
    path: &str,
) -> Result<ImageRef, Vec<Problem>> {
    let mut problems = Problems::new();
    let Some(kind) = ImageType::sniff(bytes) else {
        problems.add(path, "use a PNG, JPEG or GIF image");
        return Err(problems.finish().unwrap_err());
    };
    let Ok(size) = imagesize::blob_size(bytes) else {
        problems.add(
            path,
            "the image could not be read; save it again as PNG, JPEG or GIF",
        );
        return Err(problems.finish().unwrap_err());
    };
    let image = ImageRef {
        url,
        kind,
        width: size.width as u32,
        height: size.height as u32,
        bytes: bytes.len().min(u32::MAX as usize) as u32,
    };
    check(&image, usage, path, &mut problems);
    problems.finish().map(|()| image)
}

/// The checks of an image for `usage`.
pub fn check(image: &ImageRef, usage: ImageUse, path: &str, problems: &mut Problems) {
    match usage {
        ImageUse::Logo => image.validate_logo(path, problems),
        ImageUse::Background | ImageUse::Promo => image.validate_common(path, problems),
    }
}

/// The checks the cabinet can make before sending a file: its declared type and its size (the
/// worker measures the rest).
pub fn precheck(mime: &str, bytes: u64, path: &str) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::new();
    if ImageType::from_mime(mime).is_none() {
        problems.add(path, "use a PNG, JPEG or GIF image");
    }
    if bytes > ImageRef::MAX_BYTES as u64 {
        problems.add(
            path,
            format!(
                "the file is {} KB; at most 600 KB is allowed",
                bytes.div_ceil(1024)
            ),
        );
    }
    problems.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header of `w`×`h` (enough for measuring).
    fn png(w: u32, h: u32, len: usize) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0]);
        b.resize(len.max(b.len()), 0);
        b
    }

    fn messages(r: Result<ImageRef, Vec<Problem>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }

    #[test]
    fn the_spec_limits_of_each_use() {
        let url = || "/media/1/x.png".to_string();
        // (file, use, problems)
        let cases: Vec<(Vec<u8>, ImageUse, Vec<&str>)> = vec![
            (png(250, 80, 1000), ImageUse::Logo, vec![]),
            (
                png(251, 80, 1000),
                ImageUse::Logo,
                vec!["logo.width: a logo is at most 250×80 px; this one is 251×80"],
            ),
            (
                png(250, 81, 1000),
                ImageUse::Logo,
                vec!["logo.width: a logo is at most 250×80 px; this one is 250×81"],
            ),
            (png(1200, 800, 600 * 1024), ImageUse::Background, vec![]),
            (
                png(1200, 800, 600 * 1024 + 1),
                ImageUse::Background,
                vec!["logo.bytes: the file is 601 KB; at most 600 KB is allowed"],
            ),
            (png(1500, 1000, 1000), ImageUse::Promo, vec![]),
            (
                b"<svg></svg>".to_vec(),
                ImageUse::Logo,
                vec!["logo: use a PNG, JPEG or GIF image"],
            ),
        ];
        for (file, usage, want) in cases {
            assert_eq!(
                messages(measure(&file, usage, url(), "logo")),
                want,
                "{usage:?}"
            );
        }
    }

    #[test]
    fn a_measured_image_says_what_it_is() {
        let img = measure(
            &png(200, 60, 5000),
            ImageUse::Logo,
            "/media/a.png".into(),
            "logo",
        )
        .unwrap();
        assert_eq!(
            (img.kind, img.width, img.height, img.bytes),
            (ImageType::Png, 200, 60, 5000)
        );
        let gif = b"GIF89a\x0a\x00\x05\x00\x00\x00\x00".to_vec();
        let img = measure(&gif, ImageUse::Logo, "/media/a.gif".into(), "logo").unwrap();
        assert_eq!((img.kind, img.width, img.height), (ImageType::Gif, 10, 5));
    }

    #[test]
    fn the_cabinet_refuses_a_wrong_type_or_an_oversized_file_before_sending() {
        assert!(precheck("image/png", 1000, "logo").is_ok());
        assert_eq!(
            precheck("image/svg+xml", 1000, "logo").unwrap_err()[0].message,
            "use a PNG, JPEG or GIF image"
        );
        assert_eq!(
            precheck("image/jpeg", 700 * 1024, "logo").unwrap_err()[0].message,
            "the file is 700 KB; at most 600 KB is allowed"
        );
    }
}
