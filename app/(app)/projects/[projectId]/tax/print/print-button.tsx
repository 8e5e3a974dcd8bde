"use client";
import { Button } from "../../../../../_components/ui";

export function PrintButton({ label }: { label: string }) {
  return <Button type="button" onClick={() => window.print()}>{label}</Button>;
}
