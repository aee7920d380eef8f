import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import AccountBanners from "@/components/account/AccountBanners";
import SiteFooter from "@/components/layout/SiteFooter";
import SiteHeader from "@/components/layout/SiteHeader";
import { SessionProvider } from "@/lib/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Moodify", template: "%s · Moodify" },
  description: "Your Spotify listening history: top tracks, artists and the mood of your music.",
};

export const viewport: Viewport = {
  themeColor: "#0a0b10",
  colorScheme: "dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SessionProvider>
          <SiteHeader />
          <AccountBanners />
          <main>{children}</main>
          <SiteFooter />
        </SessionProvider>
      </body>
    </html>
  );
}
