"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";

// Sends a SIE file to the project's upload route, with the progress for the button and the server's message when
// it refuses the file. The import job it starts shows up in the panel's polled state (`onSent`).

export function useSieUpload({ projectId, maxMb, onSent }: { projectId: string; maxMb: number; onSent: () => void }) {
  const t = useTranslations("import");
  const te = useTranslations("errors");
  const [progress, setProgress] = useState<{ percent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  function send(file: File | null) {
    setError(null);
    if (!file || !file.size) {
      setError(t("pickFile"));
      return;
    }
    if (file.size > maxMb * 1024 * 1024) {
      setError(te("sieTooLarge", { mb: maxMb }));
      return;
    }
    // XMLHttpRequest rather than fetch: it reports upload progress for the bar.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/projects/${projectId}/sie`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (ev) => ev.lengthComputable && setProgress({ percent: Math.round((ev.loaded / ev.total) * 100) });
    xhr.onload = () => {
      setProgress(null);
      if (xhr.status >= 400) {
        let message = te("internal");
        try {
          message = JSON.parse(xhr.responseText).message ?? message;
        } catch {}
        setError(message);
      }
      onSent();
    };
    xhr.onerror = () => {
      setProgress(null);
      setError(te("internal"));
    };
    setProgress({ percent: 0 });
    xhr.send(file);
  }

  /** Upload progress while a file is on its way, else null. */
  return { progress, error, send };
}
