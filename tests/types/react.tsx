// The README's React recipe, type-checked as a merchant's React + TypeScript project would
// (`scripts/test.sh` runs `tsc -p tests/types`). What it does at run time, a framework handing
// new callbacks on each render, is what tests/e2e/embed.spec.mjs runs against the real loader.
import { useEffect, useRef } from "react";
import type { DollrCheckoutHandle, DollrCheckoutOptions } from "../../www/dollr-checkout";

/** The checkout in a React component: mounted once, updated on each render, unmounted with it. */
export function DollrCheckout(props: DollrCheckoutOptions) {
  const box = useRef<HTMLDivElement>(null);
  const handle = useRef<DollrCheckoutHandle | null>(null);
  const latest = useRef(props);
  useEffect(() => {
    let live = true;
    // The loader defines <dollr-checkout> once window.DollrCheckout is there: whichever of the
    // loader and the app runs first, mount then, unless the component has gone meanwhile.
    customElements.whenDefined("dollr-checkout").then(() => {
      if (live && box.current) handle.current = window.DollrCheckout.mount(box.current, latest.current);
    });
    return () => {
      live = false;
      handle.current?.unmount();
      handle.current = null;
    };
  }, []);
  // Each render: new callbacks are swapped in; changed options (a renewed grant) rebuild the
  // checkout on the same order, with what the payer chose; unchanged ones do nothing.
  useEffect(() => {
    latest.current = props;
    handle.current?.update(props);
  });
  return <div ref={box} />;
}

declare function fulfilOnServer(referenceId: string): void;

export function CheckoutPage({ grant }: { grant: string }) {
  return (
    <DollrCheckout
      proxy="/api/dollr"
      grant={grant}
      onSuccess={(detail) => fulfilOnServer(detail.reference_id)}
      onError={(detail, event) => {
        if (detail.code === "ErrorGrantExpired") event.preventDefault();
      }}
    />
  );
}

export function Mistakes({ grant }: { grant: string }) {
  return (
    <>
      {/* @ts-expect-error: the proxy is required */}
      <DollrCheckout grant={grant} />
      {/* @ts-expect-error: a success has no `code` */}
      <DollrCheckout proxy="/api/dollr" grant={grant} onSuccess={(detail) => detail.code} />
    </>
  );
}
