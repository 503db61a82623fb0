import type { ReactNode } from 'react';

// Inline SVG icons: no image requests, nothing for the Content-Security-Policy to allow.
type IconProps = { className?: string };

function Svg({ className, children, viewBox = '0 0 24 24' }: IconProps & { children: ReactNode; viewBox?: string }): ReactNode {
  return (
    <svg className={className} viewBox={viewBox} width="1em" height="1em" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

/** Waiting (accepted, not yet sent). */
export function ClockIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 8v4.5l3 2" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </Svg>
  );
}

/** One tick (sent). */
export function CheckIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props} viewBox="0 0 18 16">
      <path d="M2 8.5l4 4L16 3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </Svg>
  );
}

/** Two ticks (delivered, read). */
export function DoubleCheckIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props} viewBox="0 0 24 16">
      <path d="M1.5 8.5l4 4L15 3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.5 12.5L20 3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </Svg>
  );
}

/** Paper plane (send). */
export function SendIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <path d="M3 20.5l18-8.5L3 3.5l2.5 8.5L3 20.5zM5.5 12H13" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
    </Svg>
  );
}

/** Plus (more options). */
export function PlusIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <path d="M12 5v14M5 12h14" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </Svg>
  );
}

/** Bulleted list (opens a list message). */
export function ListIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <path d="M9 6h11M9 12h11M9 18h11" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      <circle cx="4.5" cy="6" r="1.5" fill="currentColor" />
      <circle cx="4.5" cy="12" r="1.5" fill="currentColor" />
      <circle cx="4.5" cy="18" r="1.5" fill="currentColor" />
    </Svg>
  );
}

/** Map pin (location). */
export function PinIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <path d="M12 21s-6.5-6.2-6.5-11a6.5 6.5 0 0113 0c0 4.8-6.5 11-6.5 11z" fill="none" stroke="currentColor" strokeWidth="2" />
      <circle cx="12" cy="10" r="2.3" fill="currentColor" />
    </Svg>
  );
}

/** Sheet of paper (media placeholder). */
export function FileIcon(props: IconProps): ReactNode {
  return (
    <Svg {...props}>
      <path d="M6 2.5h8l4.5 4.5v14.5H6z M14 2.5V7h4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
    </Svg>
  );
}
