// Draws each usage chart from the data table beside it (table[data-chart] names the chart's element): the table is what
// a screen reader and a browser without script read, and the chart never shows a number the table does not have.
// Tooltips are drawn on the canvas ("richText"): ECharts' HTML tooltips carry style attributes the page's CSP refuses.
(function () {
    "use strict";

    function read(table) {
        var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
        var data = {
            categories: [],
            series: heads.map(function (th) {
                return { name: th.textContent.trim(), right: th.dataset.axis === "right", values: [] };
            })
        };
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
            data.categories.push(row.cells[0].textContent.trim());
            for (var i = 1; i < row.cells.length && i <= data.series.length; i++) {
                data.series[i - 1].values.push(Number(row.cells[i].dataset.value || 0));
            }
        });
        return data;
    }

    function draw(table) {
        var element = document.getElementById(table.dataset.chart);
        if (!element || !window.echarts) {
            return;
        }
        var data = read(table);
        var perDay = table.dataset.group === "day";
        var chart = window.echarts.init(element, null, {
            renderer: "canvas",
            locale: document.documentElement.lang.indexOf("zh") === 0 ? "ZH" : "EN"
        });
        chart.setOption({
            aria: { enabled: true },
            animation: false,
            tooltip: { trigger: "axis", renderMode: "richText" },
            legend: { top: 0 },
            grid: { left: 56, right: 64, top: 40, bottom: 56 },
            xAxis: { type: "category", data: data.categories, axisLabel: { rotate: perDay ? 45 : 30, hideOverlap: true } },
            yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1, splitLine: { show: false } }],
            series: data.series.map(function (s) {
                return {
                    name: s.name,
                    type: s.right || perDay ? "line" : "bar",
                    yAxisIndex: s.right ? 1 : 0,
                    data: s.values,
                    symbolSize: 4
                };
            })
        });
        window.addEventListener("resize", function () { chart.resize(); });
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("table[data-chart]").forEach(draw);
    });
})();
