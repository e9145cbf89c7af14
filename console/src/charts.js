// ECharts (window.echarts, served by this API from the npm package bundled at build time).
const charts = new Set();

export function chart(el, option) {
  const instance = window.echarts.init(el, null, { renderer: 'canvas' });
  instance.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
  charts.add(instance);
  return instance;
}

window.addEventListener('resize', () => charts.forEach((c) => (c.isDisposed() ? charts.delete(c) : c.resize())));
