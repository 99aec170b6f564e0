import { Icon } from "./Icon";

// The call's icons, drawn in the current text colour. Always beside a label a screen reader reads
// (aria-label or visible text), so each is hidden from it.

export const PhoneIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M5 4h3l2 5-2.5 1.5a11 11 0 0 0 6 6L15 14l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />
  </Icon>
);

export const HangUpIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M3 14.5c5-4.7 13-4.7 18 0l-2.2 2.6-3.6-1.4-.4-2.6a10 10 0 0 0-5.6 0l-.4 2.6-3.6 1.4Z" />
  </Icon>
);

export const MicIcon = ({ off, size }: { off?: boolean; size?: number }) => (
  <Icon size={size}>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
    {off && <path d="M4 4l16 16" />}
  </Icon>
);

export const CameraIcon = ({ off, size }: { off?: boolean; size?: number }) => (
  <Icon size={size}>
    <rect x="3" y="6" width="13" height="12" rx="2" />
    <path d="m16 10 5-3v10l-5-3" />
    {off && <path d="M3 3l18 18" />}
  </Icon>
);

export const ScreenIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <rect x="3" y="4" width="18" height="12" rx="2" />
    <path d="M8 20h8M12 16v4M12 7v6M9 10l3-3 3 3" />
  </Icon>
);

export const SettingsIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
    <circle cx="16" cy="6" r="2" />
    <circle cx="10" cy="12" r="2" />
    <circle cx="18" cy="18" r="2" />
  </Icon>
);
