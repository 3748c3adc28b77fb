// The page's own script, run in the reader's browser: it reads the chart
// specs from the JSON element and draws each with uPlot (inlined before it),
// shows the copy buttons, and writes on each chart's element what it drew
// (data-rendered, data-points, data-x-min/max, data-y-max) for readers'
// tools and the browser tests. Plain ES2017, no module, no network: the
// page's Content-Security-Policy allows exactly this script by its hash.
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var COLORS = ['#1f6fb2', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
    '#5f6b7a', '#bcbd22', '#17becf'];
  var SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  function color(i) { return COLORS[i % COLORS.length]; }
  function si(v) {
    var i = 0;
    while (Math.abs(v) >= 1000 && i < SI.length - 1) { v /= 1000; i++; }
    var a = Math.abs(v);
    var s = a >= 100 || Number.isInteger(v) ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
    return (s.indexOf('.') >= 0 ? s.replace(/\.?0+$/, '') : s) + SI[i];
  }
  function formatter(unit) {
    return function (v) {
      if (v === null || v === undefined) return '–';
      if (unit === '%') return (+v.toFixed(3)) + ' %';
      if (unit === 'bit/s') return si(v) + 'bit/s';
      if (unit === 'packets/s') return si(v) + '/s';
      return si(v);
    };
  }
  function tick(unit) {
    return function (u, splits) {
      return splits.map(function (v) { return v === null ? '' : unit === '%' ? (+v.toFixed(3)) + '' : si(v); });
    };
  }
  // Time ticks as HH:MM:SS in UTC (with milliseconds when ticks are closer
  // than a second); the first one also gives the date.
  function timeTicks(u, splits, ax, space, incr) {
    return splits.map(function (v, k) {
      var iso = new Date(v * 1000).toISOString();
      var t = iso.slice(11, incr < 1 ? 23 : 19);
      return k === 0 ? t + '\n' + iso.slice(0, 10) : t;
    });
  }
  var TIME_AXIS = { label: 'time (UTC)', values: timeTicks, space: 90, size: 56 };
  function utc(sec) {
    var d = new Date(sec * 1000);
    return isNaN(d.getTime()) ? '–' : d.toISOString().replace('T', ' ').slice(0, 23) + ' UTC';
  }
  function tzDate(ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); }
  function xsOf(c) {
    if (c.kind === 'bars') return c.x.slice();
    return c.x.map(function (o) { return (c.x0Ms + o) / 1000; });
  }
  function xRange(c) {
    if (!c.xRange) return undefined;
    var a = (c.x0Ms + c.xRange[0]) / 1000, b = (c.x0Ms + c.xRange[1]) / 1000;
    return function () { return [a, b > a ? b : a + 1]; };
  }
  function yRange(c) {
    return function (u, min, max) {
      var top = Math.max(c.yMax || 0, max || 0);
      c.series.forEach(function (s) {
        (s.high || []).forEach(function (v) { if (v !== null && v > top) top = v; });
      });
      return [0, top > 0 ? top * 1.08 : 1];
    };
  }

  // The traffic phases as shaded bands behind the series, named at the top.
  function drawBands(c) {
    return function (u) {
      if (!c.bands || !c.bands.length) return;
      var ctx = u.ctx, top = u.bbox.top, hgt = u.bbox.height;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, top, u.bbox.width, hgt);
      ctx.clip();
      c.bands.forEach(function (b, i) {
        var a = u.valToPos((c.x0Ms + b.from) / 1000, 'x', true);
        var z = u.valToPos((c.x0Ms + b.to) / 1000, 'x', true);
        ctx.fillStyle = i % 2 ? 'rgba(255,190,60,0.08)' : 'rgba(255,170,0,0.11)';
        ctx.fillRect(a, top, Math.max(1, z - a), hgt);
        ctx.fillStyle = '#8a5a00';
        ctx.font = Math.round(11 * devicePixelRatio) + 'px sans-serif';
        ctx.fillText(b.label, a + 4 * devicePixelRatio, top + 13 * devicePixelRatio);
      });
      ctx.restore();
    };
  }

  // A heatmap: a row per CPU, a cell per interval, darker for more.
  function drawHeat(c) {
    return function (u) {
      var ctx = u.ctx, xs = u.data[0], zmax = c.zMax || 0;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      for (var s = 0; s < c.series.length; s++) {
        var vals = u.data[s + 1];
        var y0 = u.valToPos(s - 0.5, 'y', true), y1 = u.valToPos(s + 0.5, 'y', true);
        var prev = null;
        for (var i = 0; i < xs.length; i++) {
          var v = vals[i];
          if (v === null || v === undefined) continue;
          var from = prev === null ? xs[i] - (xs.length > 1 ? xs[1] - xs[0] : 0.1) : prev;
          prev = xs[i];
          if (!(v > 0)) continue;
          var a = u.valToPos(from, 'x', true), b = u.valToPos(xs[i], 'x', true);
          var k = zmax > 0 ? Math.min(1, v / zmax) : 1;
          ctx.fillStyle = 'rgba(190,20,20,' + (0.12 + 0.88 * k).toFixed(3) + ')';
          ctx.fillRect(a, Math.min(y0, y1), Math.max(1, b - a), Math.abs(y1 - y0));
        }
      }
      ctx.restore();
    };
  }

  // Bars side by side within a category, one slot per series.
  function groupedBars(i, n) {
    return function (u, sidx, i0, i1) {
      var p = new Path2D(), xs = u.data[0], ys = u.data[sidx];
      var slot = Math.abs(u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)) * 0.8;
      var w = slot / n, base = u.valToPos(0, 'y', true);
      for (var j = i0; j <= i1; j++) {
        var v = ys[j];
        if (v === null || v === undefined) continue;
        var left = u.valToPos(xs[j], 'x', true) - slot / 2 + i * w;
        var top = u.valToPos(v, 'y', true);
        p.rect(left + 1, Math.min(top, base), Math.max(1, w - 2), Math.max(1, Math.abs(base - top)));
      }
      return { stroke: p, fill: p };
    };
  }

  // The spread of repeats on each bar: a line from the lowest to the highest.
  function drawWhiskers(c) {
    return function (u) {
      var ctx = u.ctx, n = c.series.length;
      var slot = Math.abs(u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)) * 0.8;
      ctx.save();
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.5 * devicePixelRatio;
      c.series.forEach(function (s, i) {
        if (!s.high) return;
        s.high.forEach(function (hi, j) {
          var lo = s.low ? s.low[j] : null;
          if (hi === null || lo === null) return;
          var x = u.valToPos(c.x[j], 'x', true) - slot / 2 + (i + 0.5) * (slot / n);
          var a = u.valToPos(lo, 'y', true), b = u.valToPos(hi, 'y', true), cap = 5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, a); ctx.lineTo(x, b);
          ctx.moveTo(x - cap, a); ctx.lineTo(x + cap, a);
          ctx.moveTo(x - cap, b); ctx.lineTo(x + cap, b);
          ctx.stroke();
        });
      });
      ctx.restore();
    };
  }

  // A value is the rate over the interval that ends at its time; where two
  // hosts' samples interleave, a series has no point at the other's times:
  // the value in effect there is that of its next point.
  function inEffect(u, sidx, idx) {
    var ys = u.data[sidx];
    if (idx === null || idx === undefined) return null;
    for (var k = idx; k < ys.length; k++) if (ys[k] !== null && ys[k] !== undefined) return ys[k];
    return null;
  }

  function categoryAxis(c) {
    return {
      splits: function () { return c.x.slice(); },
      values: function (u, splits) {
        var every = Math.max(1, Math.ceil(splits.length * 70 / Math.max(1, u.bbox.width / devicePixelRatio)));
        return splits.map(function (v, k) { return k % every ? '' : (c.categories[v] || ''); });
      },
      size: 40,
    };
  }

  function options(c, width) {
    var fmt = formatter(c.unit);
    var xSeries = c.kind === 'bars'
      ? { label: 'category', value: function (u, v) { return c.categories[v] || '–'; } }
      : { label: 'time (UTC)', value: function (u, v) { return v === null ? '–' : utc(v); } };
    var o = {
      width: width,
      height: c.kind === 'heatmap' ? Math.max(150, Math.min(560, 80 + 20 * c.series.length)) : c.kind === 'bars' ? 220 : 260,
      tzDate: tzDate,
      legend: { live: true },
      cursor: { drag: { x: c.kind !== 'bars', y: false } },
      scales: {},
      axes: [],
      series: [xSeries],
      hooks: {},
    };
    if (c.sync) o.cursor.sync = { key: c.sync };
    if (c.kind === 'bars') {
      o.scales.x = { time: false, range: function () { return [-0.5, c.x.length - 0.5]; } };
      o.scales.y = { range: yRange(c) };
      o.axes = [categoryAxis(c), { label: c.yLabel, size: 64, values: tick(c.unit) }];
      c.series.forEach(function (s, i) {
        o.series.push({ label: s.label, stroke: color(i), fill: color(i) + 'cc', width: 1,
          paths: groupedBars(i, c.series.length), points: { show: false },
          value: function (u, v) { return fmt(v); } });
      });
      o.hooks.draw = [drawWhiskers(c)];
      o.cursor.points = { show: false };
    } else if (c.kind === 'heatmap') {
      o.scales.x = { time: true, range: xRange(c) };
      o.scales.y = { auto: false, range: function () { return [-0.5, c.series.length - 0.5]; } };
      o.scales.v = { auto: true };
      o.axes = [TIME_AXIS, {
        label: c.yLabel, size: 64,
        splits: function () { return c.series.map(function (s, i) { return i; }); },
        values: function (u, splits) {
          var every = Math.max(1, Math.ceil(splits.length / 12));
          return splits.map(function (v) { return v % every ? '' : (c.categories[v] || ''); });
        },
      }];
      c.series.forEach(function (s) {
        o.series.push({ label: s.label, scale: 'v', stroke: '#be1414', width: 0,
          paths: function () { return null; }, points: { show: false },
          value: function (u, v) { return fmt(v); } });
      });
      o.hooks.drawClear = [drawBands(c)];
      o.hooks.draw = [drawHeat(c)];
      o.cursor.points = { show: false };
    } else {
      o.scales.x = { time: true, range: xRange(c) };
      o.scales.y = { range: yRange(c) };
      o.axes = [TIME_AXIS, { label: c.yLabel, size: 64, values: tick(c.unit) }];
      c.series.forEach(function (s, i) {
        o.series.push({ label: s.label, stroke: color(i), width: 1.5, spanGaps: true,
          paths: uPlot.paths.stepped({ align: -1 }), points: { show: false },
          value: function (u, v, sidx, idx) { return fmt(v === null ? inEffect(u, sidx, idx) : v); } });
      });
      o.hooks.drawClear = [drawBands(c)];
    }
    return o;
  }

  // What was drawn, on the element: the series count, the points with a
  // value, and the range of x and of the values.
  function describe(el, u) {
    var xs = u.data[0], points = 0, ymax = 0, xmin = null, xmax = null;
    for (var s = 1; s < u.data.length; s++) {
      for (var i = 0; i < xs.length; i++) {
        var v = u.data[s][i];
        if (v === null || v === undefined) continue;
        points++;
        if (v > ymax) ymax = v;
        if (xmin === null || xs[i] < xmin) xmin = xs[i];
        if (xmax === null || xs[i] > xmax) xmax = xs[i];
      }
    }
    el.setAttribute('data-rendered', 'true');
    el.setAttribute('data-drawn-series', String(u.series.length - 1));
    el.setAttribute('data-points', String(points));
    el.setAttribute('data-x-min', String(xmin));
    el.setAttribute('data-x-max', String(xmax));
    el.setAttribute('data-y-max', String(ymax));
  }

  var plots = [];
  report.charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var box = el.querySelector('.plot');
    var u = new uPlot(options(c, box.clientWidth || 900), [xsOf(c)].concat(c.series.map(function (s) { return s.values; })), box);
    describe(el, u);
    plots.push({ u: u, box: box });
  });
  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      plots.forEach(function (p) { p.u.setSize({ width: p.box.clientWidth, height: p.u.height }); });
    }, 100);
  });

  // The text to copy: a redaction marker is an element whose data-m holds it.
  function plainText(node) {
    var out = '';
    Array.prototype.forEach.call(node.childNodes, function (n) {
      if (n.nodeType === 3) out += n.nodeValue;
      else if (n.nodeType === 1) out += n.hasAttribute('data-m') ? n.getAttribute('data-m') : plainText(n);
    });
    return out;
  }
  function fallbackCopy(text) {
    var ta = document.createElement('textarea');
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    return ok;
  }
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var text = plainText(document.getElementById(b.getAttribute('data-copy')));
      function done(ok) {
        b.textContent = ok ? 'Copied' : 'Select and copy';
        setTimeout(function () { b.textContent = 'Copy'; }, 1500);
      }
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
      else done(fallbackCopy(text));
    });
  });
  document.documentElement.setAttribute('data-charts-ready', String(plots.length));
})();
`;
