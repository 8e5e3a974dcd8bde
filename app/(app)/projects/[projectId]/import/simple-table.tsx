// A plain table of texts for the import page's summary, checks and ledgers; `numeric` columns align right.
export function SimpleTable({ head, rows, numeric = [] }: { head: string[]; rows: string[][]; numeric?: number[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} className={`py-1 pr-4 font-medium ${numeric.includes(i) ? "text-right" : ""}`}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-slate-100">
              {r.map((c, j) => (
                <td key={j} className={`py-1.5 pr-4 ${numeric.includes(j) ? "text-right tabular-nums" : ""}`}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
