#!/usr/bin/env bash
# Records the benchmark's frame: a real 1920x1080 JPEG (a vtest.avi frame scaled with ffmpeg) in
# an http_push ObjectMetadata post with two plate detections, their tracks and their plate
# sub-objects (crop + text). Placeholders __CH__, __FID__, __PLATE1__, __PLATE2__ are filled in
# per request by Bench.java. The output is committed, so ffmpeg is only needed to re-record it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
video="${1:-$here/../../../shared/testdata/vtest.avi}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ffmpeg -loglevel error -y -ss 00:00:20 -i "$video" -frames:v 1 -vf scale=1920:1080 -q:v 3 "$tmp/frame.jpg"
ffmpeg -loglevel error -y -ss 00:00:20 -i "$video" -frames:v 1 -vf "scale=1920:1080,crop=106:42:306:693" "$tmp/p1.jpg"
ffmpeg -loglevel error -y -ss 00:00:20 -i "$video" -frames:v 1 -vf "scale=1920:1080,crop=118:40:1210:760" "$tmp/p2.jpg"
frame="$(base64 -w0 "$tmp/frame.jpg")"
p1="$(base64 -w0 "$tmp/p1.jpg")"
p2="$(base64 -w0 "$tmp/p2.jpg")"
cat > "$here/frame-1080p.json" <<JSON
{"mFrame":{"mChannelId":__CH__,"mFrameId":__FID__,"mTimestamp":1702547203099557,"mWidth":1920,"mHeight":1080,"mEndOfStream":false,"mSpData":"$frame"},"mDetectedObjectMetadatas":[{"mBox":{"mX":306,"mY":693,"mWidth":106,"mHeight":42},"mClassify":0,"mScores":[0.83],"mLabelName":"plate"},{"mBox":{"mX":1210,"mY":760,"mWidth":118,"mHeight":40},"mClassify":0,"mScores":[0.91],"mLabelName":"plate"}],"mTrackedObjectMetadatas":[{"mTrackId":7},{"mTrackId":8}],"mSubObjectMetadatas":[{"mFrame":{"mChannelId":__CH__,"mFrameId":__FID__,"mWidth":106,"mHeight":42,"mSpData":"$p1"},"mRecognizedObjectMetadatas":[{"mLabelName":"__PLATE1__","mScores":[0.95]}]},{"mFrame":{"mChannelId":__CH__,"mFrameId":__FID__,"mWidth":118,"mHeight":40,"mSpData":"$p2"},"mRecognizedObjectMetadatas":[{"mLabelName":"__PLATE2__","mScores":[0.93]}]}],"mFps":25.0,"mGraphId":0,"mSubId":0}
JSON
ls -l "$here/frame-1080p.json"
