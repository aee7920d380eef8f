import type { NextConfig } from "next";

// Exported as static files: served by `moodify serve` locally and by CloudFront on AWS.
// The dashboard calls the API on the same origin under /api, client-side.
const nextConfig: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
};

export default nextConfig;
