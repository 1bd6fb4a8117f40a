// The demo's charts, in plain SVG made with DOM calls: no charting library to ship, version,
// audit or keep off a CDN, and nothing that needs eval or inline script (the pages run under
// a strict Content-Security-Policy). Four small charts are all the demo needs.
const NS = "http://www.w3.org/2000/svg";

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(parent, width, height) {
  const s = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  parent.replaceChildren(s);
  return s;
}

// white -> the accent blue for t in [0, 1]
const shade = (t) => {
  const c = Math.max(0, Math.min(1, t));
  const mix = (a, b) => Math.round(a + (b - a) * c);
  return `rgb(${mix(255, 59)}, ${mix(255, 91)}, ${mix(255, 219)})`;
};

// Square matrix of values in [-1, 1] (cosine similarities), each cell labelled with its value.
export function heatmap(parent, labels, matrix) {
  const cell = 46, left = 210, top = 22;
  const n = labels.length, short = (s) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  const s = svg(parent, left + cell * n + 10, top + cell * n + 10);
  labels.forEach((label, i) => {
    s.append(el("text", { x: left - 8, y: top + cell * i + cell / 2 + 4, "text-anchor": "end" },
                `${short(label)}  ${i + 1}`));
    s.append(el("text", { x: left + cell * i + cell / 2, y: top - 8, "text-anchor": "middle" },
                `${i + 1}`));
  });
  matrix.forEach((row, i) => row.forEach((v, j) => {
    const g = el("g", { class: "cell", "data-i": i, "data-j": j, "data-value": v });
    g.append(el("rect", { x: left + cell * j, y: top + cell * i, width: cell - 2, height: cell - 2,
                          rx: 3, fill: shade(v) }));
    g.append(el("text", { x: left + cell * j + cell / 2 - 1, y: top + cell * i + cell / 2 + 3,
                          "text-anchor": "middle", fill: v > 0.6 ? "#fff" : "#1d232b" },
                v.toFixed(2)));
    g.append(el("title", {}, `${labels[i]} · ${labels[j]}: ${v.toFixed(4)}`));
    s.append(g);
  }));
}

// Vertical bars for values in [0, 1] (probabilities); `best` is drawn in the accent colour.
export function barChart(parent, labels, values, best) {
  const w = 34, h = 150, top = 18, bottom = 22;
  const s = svg(parent, w * labels.length + 10, h + top + bottom);
  values.forEach((v, i) => {
    const bh = Math.max(1, v * h);
    const g = el("g", { class: "bar", "data-label": labels[i], "data-value": v });
    g.append(el("rect", { x: 5 + w * i, y: top + h - bh, width: w - 8, height: bh, rx: 2,
                          fill: i === best ? "#3b5bdb" : "#b7c4ee" }));
    g.append(el("text", { x: 5 + w * i + (w - 8) / 2, y: top + h - bh - 4, "text-anchor": "middle" },
                v >= 0.005 ? v.toFixed(2) : ""));
    g.append(el("text", { x: 5 + w * i + (w - 8) / 2, y: top + h + 16, "text-anchor": "middle" },
                labels[i]));
    s.append(g);
  });
}

// Horizontal bars on a log scale, one group per workload, each group scaled on its own:
// [{name, rows: [{label, value, text, slow}]}] (slow: drawn grey).
export function logBars(parent, groups) {
  const rowH = 20, gap = 14, left = 170, width = 330;
  const height = groups.reduce((a, g) => a + 18 + rowH * g.rows.length + gap, 0);
  const s = svg(parent, left + width + 210, height);
  let y = 0;
  for (const g of groups) {
    const vals = g.rows.map((r) => r.value).filter((v) => v > 0);
    const lo = Math.log10(Math.min(...vals)) - 0.5, hi = Math.log10(Math.max(...vals));
    const x = (v) => (v > 0 ? 12 + ((Math.log10(v) - lo) / Math.max(hi - lo, 1e-9)) * (width - 12) : 0);
    s.append(el("text", { x: 0, y: y + 13, "font-weight": 600 }, g.name));
    y += 18;
    for (const r of g.rows) {
      const row = el("g", { class: "bench-bar", "data-group": g.name, "data-label": r.label,
                            "data-value": r.value });
      row.append(el("text", { x: left - 8, y: y + 14, "text-anchor": "end" }, r.label));
      row.append(el("rect", { x: left, y: y + 3, width: Math.max(1, x(r.value)), height: rowH - 6,
                              rx: 2, fill: r.slow ? "#adb5bd" : "#3b5bdb" }));
      row.append(el("text", { x: left + x(r.value) + 6, y: y + 14 }, r.text));
      s.append(row);
      y += rowH;
    }
    y += gap;
  }
}

// A line over steps 1..xMax (a training loss curve), y from 0 to the largest value, with a few
// gridlines; the polyline holds one point per value (data-points, for tests).
export function lineChart(parent, values, xMax, yLabel = "loss") {
  const w = 560, h = 220, left = 44, top = 10, bottom = 28, right = 12;
  const s = svg(parent, w, h);
  const yMax = Math.max(...values, 1e-9) * 1.05, pw = w - left - right, ph = h - top - bottom;
  const x = (i) => left + (pw * i) / Math.max(xMax, 1), y = (v) => top + ph * (1 - v / yMax);
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    s.append(el("line", { x1: left, x2: w - right, y1: y(v), y2: y(v), stroke: "#dde2e8" }));
    s.append(el("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, v.toFixed(2)));
  }
  s.append(el("text", { x: left + pw / 2, y: h - 6, "text-anchor": "middle" },
              `step (of ${xMax})`));
  s.append(el("text", { x: w - right, y: top + 14, "text-anchor": "end" }, yLabel));
  s.append(el("polyline", { class: "line", "data-points": values.length, fill: "none",
                            stroke: "#3b5bdb", "stroke-width": 2,
                            points: values.map((v, i) => `${x(i + 1)},${y(v)}`).join(" ") }));
}
