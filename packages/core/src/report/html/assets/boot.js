// The dashboard's own script: builds every chart from the JSON embedded in the page. It contains no
// user data (names and values arrive only through JSON.parse), and its SHA-256 is the only script hash
// besides Chart.js that the page's Content-Security-Policy allows.
(function () {
  'use strict';
  var el = document.getElementById('lanebench-data');
  if (!el || typeof Chart === 'undefined') return;
  var data = JSON.parse(el.textContent || '{}');
  var specs = {};
  Chart.defaults.font.family = 'system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
  Chart.defaults.color = '#334155';

  // Threshold lines, edge markers for thresholds outside the data, and vertical event markers
  // (change points, A/B sessions). Drawn by hand so a threshold never stretches the axis.
  var marksPlugin = {
    id: 'lanebenchMarks',
    // A/B sides: a tinted stretch per side behind the series, half a category step either side of its runs, with
    // the side's name at the bottom (the top edge holds the threshold arrows). The drawn rectangles are kept on the chart (lanebenchBands) for the layout test.
    beforeDatasetsDraw: function (chart) {
      var spec = specs[chart.canvas.id];
      var bands = (spec && spec.bands) || [];
      chart.lanebenchBands = [];
      if (bands.length === 0) return;
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var x = chart.scales.x;
      var n = (spec.labels || []).length;
      var step = n > 1 ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)) : area.right - area.left;
      ctx.save();
      ctx.font = 'bold 11px ' + Chart.defaults.font.family;
      ctx.textBaseline = 'bottom';
      ctx.textAlign = 'center';
      bands.forEach(function (b) {
        var left = Math.max(area.left, x.getPixelForValue(b.from) - step / 2);
        var right = Math.min(area.right, x.getPixelForValue(b.to) + step / 2);
        ctx.fillStyle = b.color;
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = b.textColor;
        if (right - left >= 24) ctx.fillText(b.side, (left + right) / 2, area.bottom - 2);
        chart.lanebenchBands.push({ side: b.side, left: left, right: right, top: area.top, bottom: area.bottom });
      });
      ctx.restore();
    },
    afterDatasetsDraw: function (chart) {
      var spec = specs[chart.canvas.id];
      if (!spec) return;
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var y = chart.scales.y;
      var x = chart.scales.x;
      ctx.save();
      ctx.font = '11px ' + Chart.defaults.font.family;
      var above = 0;
      var below = 0;
      (spec.thresholds || []).forEach(function (t) {
        ctx.strokeStyle = t.color;
        ctx.fillStyle = t.color;
        if (t.placement === 'line') {
          var py = y.getPixelForValue(t.value);
          ctx.setLineDash([6, 4]);
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(area.left, py);
          ctx.lineTo(area.right, py);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.textAlign = 'right';
          ctx.textBaseline = 'bottom';
          ctx.fillText(t.label, area.right - 2, py - 2);
        } else {
          // off the chart: an arrow at the edge with the threshold's value, stacked if several
          var top = t.placement === 'above';
          var row = top ? above++ : below++;
          var ey = top ? area.top + 2 + row * 13 : area.bottom - 2 - row * 13;
          ctx.textAlign = 'left';
          ctx.textBaseline = top ? 'top' : 'bottom';
          ctx.fillText((top ? '▲ ' : '▼ ') + t.label + (top ? ' (above)' : ' (below)'), area.left + 4, ey);
        }
      });
      (spec.events || []).forEach(function (e) {
        var px = x.getPixelForValue(e.index);
        ctx.strokeStyle = '#0f172a';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.textAlign = px > (area.left + area.right) / 2 ? 'right' : 'left';
        ctx.textBaseline = 'bottom';
        ctx.fillText(e.label, px + (ctx.textAlign === 'left' ? 3 : -3), area.bottom - 2);
      });
      ctx.restore();
    },
  };

  (data.charts || []).forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    specs[spec.id] = spec;
    var narrow = canvas.parentNode.clientWidth < 520;
    new Chart(canvas, {
      type: 'line',
      plugins: [marksPlugin],
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.data,
            borderColor: d.color,
            backgroundColor: d.color,
            borderWidth: 2,
            pointRadius: d.points ? 2.5 : 0,
            pointHoverRadius: 4,
            tension: 0,
            spanGaps: true,
            fill: false,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: spec.xType,
            title: { display: true, text: spec.xTitle },
            ticks: {
              maxRotation: 0,
              autoSkip: true,
              maxTicksLimit: narrow ? 3 : 6,
              // category labels carry "date time zone\nsha": two short lines instead of one long one
              callback:
                spec.xType === 'category'
                  ? function (value) {
                      return String(this.getLabelForValue(value)).split('\n');
                    }
                  : undefined,
            },
          },
          y: {
            min: spec.yMin,
            max: spec.yMax,
            beginAtZero: spec.yMin === undefined,
            title: { display: !narrow, text: spec.yTitle },
            ticks: { maxTicksLimit: 6 },
          },
        },
        // the legend is HTML under the canvas (ul.legend), built with the page
        plugins: { legend: { display: false } },
      },
    });
  });
})();
