set terminal pngcairo size 440,380 font ',10'
set output 'containment-latency.png'
set multiplot layout 1,1 title "Probe in a sibling cgroup during each bomb (first repetition, lowest rate)\nblue: 10 ms sleep overshoot; orange: fork+exec /bin/true; red line: cgroup.kill"
set logscale y
set yrange [0.05:5000]
set grid
unset key
set xrange [-1.2:6.6]
set title 'py, floor 20/s (CPU 145%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 5.100, graph 0 to 5.100, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
unset multiplot
