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
        ctx.strokeStyle = e.kind === 'ab' ? '#7c3aed' : '#0f172a';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.setLineDash(e.kind === 'ab' ? [2, 3] : []);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
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
        plugins: {
          legend: {
            display: spec.datasets.length <= (narrow ? 4 : 10),
            position: 'bottom',
            labels: { boxWidth: 12, boxHeight: 2 },
          },
        },
      },
    });
  });
})();
